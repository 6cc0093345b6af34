/**
 * The seed server's lifeline is opt-in: the local engine sets SEEDSTACK_LIFELINE=stdin and the
 * server exits when its stdin pipe closes (the engine died); on EC2 nothing sets it and a closed
 * stdin (systemd's /dev/null) changes nothing. Both run the real server as a process.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("./main.ts", import.meta.url));
const test = suite("seed-server lifeline");
const children: ChildProcess[] = [];
test.after.each(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

/** Start the server on a free port with a stdin pipe; resolves with its URL once it listens. */
async function start(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ["--import", "tsx", main, "--port", "0", "--host", "127.0.0.1"], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", TMPDIR: process.env.TMPDIR ?? "/tmp", ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === "listening" && entry.url) resolve(entry.url);
    });
    void exited.then((code) => reject(new Error(`the server exited (${code}) before listening`)));
  });
  return { child, url, exited };
}

test("without SEEDSTACK_LIFELINE (as on EC2), a closed stdin changes nothing: the server keeps answering", async () => {
  const server = await start({});
  server.child.stdin!.end();
  await new Promise((r) => setTimeout(r, 500));
  const res = await fetch(`${server.url}/status`);
  assert.is(res.status, 200);
  assert.is(server.child.exitCode, null);
});

test("with SEEDSTACK_LIFELINE=stdin (the local engine), the server exits when its stdin closes", async () => {
  const server = await start({ SEEDSTACK_LIFELINE: "stdin" });
  assert.is((await fetch(`${server.url}/status`)).status, 200);
  server.child.stdin!.end();
  assert.is(await server.exited, 1);
});

test.run();
