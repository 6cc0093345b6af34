/**
 * One module per emulated AWS service, one shared interface, one registry (Miniflare's plugins):
 * the engine starts the services in order and disposes them in reverse. Each takes the stack and
 * what the services before it offer (`Wiring`): the web servers need the database's address and
 * the load balancer to register with, so the order is database, load balancer, web servers.
 */
import type { RunContext } from "../events.js";
import type { Stack } from "../stack/stack.js";
import type { LocalLoadBalancer } from "./alb/load-balancer.js";
import type { LocalDatabase } from "./postgres.js";
import type { ProcessTracker } from "../../local-postgres/process-tracker.js";
import type { HopEndpoint } from "./security-groups.js";
import type { Fleet } from "./fleet.js";

/** Engine-wide settings every service reads. */
export interface EngineSettings {
  readonly bundle: string;
  readonly speedup: number;
  readonly clientAddress?: string;
  readonly quietServers: boolean;
  /** Where every process and folder is recorded as it starts (the running record). */
  readonly track: ProcessTracker;
}

/** What the services started so far offer the next ones. */
export interface Wiring {
  readonly stack: Stack;
  readonly ctx: RunContext;
  readonly settings: EngineSettings;
  /** A stack duration in ms on this run's clock. */
  scaleMs(seconds: number): number;
  database?: {
    readonly local: LocalDatabase;
    /** The database as a security-group endpoint. */
    readonly endpoint: HopEndpoint;
    /** Where a server whose security groups forbid the database is pointed: connections are dropped there. */
    readonly droppedPort: number;
  };
  loadBalancer?: { readonly alb: LocalLoadBalancer; readonly certificatePem?: string };
  fleet?: Fleet;
}

/** One emulated service. */
export interface EmulatedService {
  readonly name: string;
  /** Start, add what it offers to `wiring`, and return how to stop it. */
  start(wiring: Wiring): Promise<AsyncDisposable>;
}
