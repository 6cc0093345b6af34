/**
 * A client that keeps sending on keep-alive connections through a whole shutdown (SIGTERM, drain,
 * close, exit) gets, for every request, either an answer or a refused connection: never a reset
 * or a hang-up mid-request, which would leave it unsure whether a POST was applied.
 * The real server process (source run with tsx), loaded over loopback.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Agent } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { call } from "./test-support/http.js";
import { startServerProcess, type ServerProcess } from "./test-support/server-process.js";
import { waitFor } from "./test-support/wait-for.js";

const here = dirname(fileURLToPath(import.meta.url));
const WORKERS = 16;
const ROUNDS = 3;

/** What one shutdown under load did to its clients. */
interface RoundResult {
  answered: number;
  answeredWithClose: number;
  refused: number;
  /** Every other failure: resets, hang-ups, unexpected statuses. */
  failures: string[];
  exitCode: number | null;
}

async function shutdownUnderLoad(): Promise<RoundResult> {
  let server: ServerProcess | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: WORKERS });
  const result: RoundResult = { answered: 0, answeredWithClose: 0, refused: 0, failures: [], exitCode: null };
  let stop = false;
  try {
    server = startServerProcess(process.execPath, ["--import", "tsx", join(here, "main.ts"), "--port", "0", "--host", "127.0.0.1", "--drain-seconds", "1"], { QUIET: "1" });
    const url = await server.listening;

    // Each worker sends back to back until its first refused connection (the server has stopped
    // listening: nothing more to learn) or until the test stops it.
    const worker = async (id: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res =
            i % 2 === 0
              ? await call(url + "/", { agent })
              : await call(url + "/", { method: "POST", headers: { "Content-Type": "application/json" }, body: `{"num": ${id * 1_000_000 + i}}`, agent });
          if (res.status !== 200) result.failures.push(`HTTP ${res.status}: ${res.body}`);
          else result.answered++;
          if (res.headers.connection === "close") result.answeredWithClose++;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === "ECONNREFUSED") {
            result.refused++;
            return;
          }
          result.failures.push(`${code ?? "error"}: ${(err as Error).message}`);
        }
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, (_, id) => worker(id)));

    await waitFor("requests to flow before SIGTERM", () => result.answered >= 200, 15_000);
    server.child.kill("SIGTERM");
    result.exitCode = await server.exitedWithin(20_000);
    stop = true;
    await load;
    return result;
  } finally {
    stop = true;
    agent.destroy();
    server?.kill();
  }
}

test(`keep-alive load through ${ROUNDS} shutdowns: every request is answered or refused, none reset`, async () => {
  for (let round = 1; round <= ROUNDS; round++) {
    const r = await shutdownUnderLoad();
    assert.is(r.exitCode, 0, `round ${round}: exit code`);
    const sample = r.failures.slice(0, 5).join("; ");
    assert.is(r.failures.length, 0, `round ${round}: ${r.failures.length} requests were neither answered nor refused (${r.answered} answered, ${r.refused} refused), e.g. ${sample}`);
    assert.ok(r.answeredWithClose > 0, `round ${round}: answers during the drain say Connection: close`);
    assert.ok(r.refused > 0, `round ${round}: the load went on until the server stopped listening`);
  }
});

test.run();
