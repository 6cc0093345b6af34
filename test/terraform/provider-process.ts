/**
 * Test-only: one long-running AWS provider process that many terraform commands attach to, through
 * terraform's documented provider debug mode (`terraform-provider-aws -debug` prints a
 * `TF_REATTACH_PROVIDERS` value; terraform given it uses that process instead of starting its own).
 *
 * Why: every terraform command otherwise starts the 675 MB provider at least once and has it build
 * its schema of ~1,500 resource types; on two cores that is about half of each validate's CPU time.
 * The plans stay real: the same terraform, the same provider binary from the mirror, configured
 * afresh (region, endpoints) by each plan. One process serves one command at a time; the rig keeps
 * one per worker.
 *
 * The provider runs under a small shell that ends it when our stdin pipe closes, so it cannot
 * outlive this process even if we are killed without a chance to clean up.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A running provider that terraform can attach to. */
export interface SharedProvider {
  /** The value for `TF_REATTACH_PROVIDERS`. */
  readonly reattach: string;
  /** Stop the provider (and its shell); resolves when they have exited. */
  stop(): Promise<void>;
}

/** The provider executable inside an installed provider directory (`.../5.100.0/linux_amd64`). */
export function providerExecutable(installedDir: string): string {
  const file = readdirSync(installedDir).find((f) => f.startsWith("terraform-provider-"));
  if (file === undefined) throw new Error(`no terraform-provider-* executable in ${installedDir}`);
  return join(installedDir, file);
}

/** Start `executable -debug` and wait (up to `timeoutMs`) for its reattach line. */
export function startSharedProvider(executable: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<SharedProvider> {
  // `exec` would lose the watcher; instead: provider in the background, `read` blocks on our pipe,
  // and whatever ends the read (EOF when we exit or close stdin) kills the provider.
  // Signals too: a shell killed by Ctrl-C does not run its EXIT trap.
  const script =
    'provider="$1"; "$provider" -debug & pid=$!; trap "kill $pid 2>/dev/null" EXIT; trap "kill $pid 2>/dev/null; exit 130" INT TERM HUP; ' +
    "while read -r _; do :; done; kill $pid 2>/dev/null; wait $pid";
  // The provider makes a `plugin<digits>` folder for its socket in TMPDIR and, stopped by a signal,
  // leaves it there: give it a temp folder of its own, removed once it has exited.
  const providerTmp = mkdtempSync(join(tmpdir(), "seedstack-provider-"));
  const child: ChildProcess = spawn("/bin/sh", ["-c", script, "sh", executable], { env: { ...env, TMPDIR: providerTmp }, stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<void>((resolve) =>
    child.once("close", () => {
      rmSync(providerTmp, { recursive: true, force: true });
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.stdin!.end();
      child.kill("SIGTERM");
      reject(new Error(`shared provider ${executable}: ${why}; output:\n${output.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail(`printed no TF_REATTACH_PROVIDERS within ${timeoutMs / 1000} s`), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /TF_REATTACH_PROVIDERS='(\{.*?\})'/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        child.stderr!.off("data", onData);
        // Keep draining, so a chatty provider never blocks on a full pipe.
        child.stdout!.resume();
        child.stderr!.resume();
        resolve({
          reattach: match[1]!,
          stop: async () => {
            child.stdin!.end();
            await exited;
          },
        });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("error", (error) => fail(error.message));
    void exited.then(() => fail("exited before it was ready"));
  });
}
