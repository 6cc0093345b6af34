/**
 * The environment a `seedstack up` runs, as a LoadSource: the load is started, watched and stopped
 * through that up's console (the same load test its page runs), so the requests are sent by the
 * up's process and the up's console shows them. Its state document is read twice a second; each
 * second of the load is handed on once the console has closed it, and the group is the console's.
 * The console ends the load at its duration by itself, so a `load` killed outright (SIGKILL) leaves
 * no load running for long.
 */
import { LifecycleError } from "../errors.js";
import type { ConsoleSnapshot } from "../console/snapshot.js";
import type { ConsoleClient } from "./console-client.js";
import type { LoadResult, LoadSecond } from "./load-generator.js";
import type { LoadSource } from "./load-run.js";

/** How often the console's state is read. */
const POLL_MS = 500;
/** Consecutive failed reads after which the up is taken for gone. */
const FAILED_READS = 4;

/** A LoadSource on a console, with the last state read; dispose() stops reading. */
export interface AttachedSource extends LoadSource {
  /** The last state document read. */
  snapshot(): ConsoleSnapshot;
  dispose(): void;
}

/** Read the console's state once (it must answer), then keep reading it until disposed. */
export async function attachedSource(client: ConsoleClient): Promise<AttachedSource> {
  let latest = await client.state();
  const listeners = new Set<(s: ConsoleSnapshot | Error) => void>();
  let failures = 0;
  let disposed = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    try {
      latest = await client.state();
      failures = 0;
      for (const l of listeners) l(latest);
    } catch (err) {
      if (++failures >= FAILED_READS) for (const l of listeners) l(err as Error);
    }
    if (!disposed) timer = setTimeout(() => void poll(), POLL_MS);
  };
  timer = setTimeout(() => void poll(), POLL_MS);

  return {
    snapshot: () => latest,
    autoScaling: () => latest.group,
    attached: true,
    get drainMs() {
      return latest.map.targetGroup.deregistrationDelaySeconds * (1000 / latest.speedup);
    },
    async start(options, onSecond) {
      const { startedAt } = await client.post<{ startedAt: string }>("load", { ...options });
      const startMs = Date.parse(startedAt);
      let next = startMs - (startMs % 1000);
      const hand = (seconds: readonly LoadSecond[]) => {
        for (const s of seconds) {
          if (s.at < next) continue;
          next = s.at + 1000;
          onSecond(s);
        }
      };
      let finish!: (r: LoadResult) => void;
      let fail!: (e: Error) => void;
      const done = new Promise<LoadResult>((resolve, reject) => ((finish = resolve), (fail = reject)));
      const settle = (result: LoadResult) => {
        listeners.delete(watch);
        hand(result.seconds);
        finish(result);
      };
      const watch = (s: ConsoleSnapshot | Error) => {
        if (s instanceof Error) {
          listeners.delete(watch);
          return fail(new LifecycleError("ERR_NO_ENVIRONMENT", `the up's console stopped answering during the load: ${s.message}`));
        }
        // A read answered before our start was handled carries the load before ours (or none): not news.
        if (s.load.startedAt !== startedAt && (s.load.startedAt === undefined || Date.parse(s.load.startedAt) < Date.parse(startedAt))) return;
        if (s.load.startedAt !== startedAt) {
          listeners.delete(watch);
          return fail(new LifecycleError("ERR_USAGE", `another load test (started ${s.load.startedAt ?? "?"}) replaced this one on the up's console before its result could be read`));
        }
        hand(s.load.seconds);
        if (!s.load.running && s.load.result?.startedAt === startedAt) settle(s.load.result);
      };
      listeners.add(watch);
      return {
        done,
        async stop() {
          const answer = await client.post<{ result?: LoadResult }>("load-stop");
          // Stopped now; or it had just ended by itself, and the next read carries its result.
          if (answer.result?.startedAt === startedAt) settle(answer.result);
          return done;
        },
      };
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
      listeners.clear();
    },
  };
}
