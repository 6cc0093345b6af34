/**
 * The web servers as the rest of the local engine sees them: the instances and what the drill may
 * do to them. Its own file so the service registry (emulated-service.ts) and the web-servers
 * service can both name it without importing each other.
 */
import type { InstanceFacts } from "./diagnose.js";
import type { GroupView } from "./scaling-group.js";

/** One instance as the environment reports it. */
export interface InstanceView {
  readonly id: string;
  readonly name: string;
  readonly host: string;
  readonly appPort: number;
  readonly pid?: number;
  readonly running: boolean;
}

/** The running instances, and what may be done to them. */
export interface Fleet {
  /** How many targets the stack asks for (instances, or the group's desired capacity). */
  readonly expected: number;
  instances(): InstanceView[];
  /** What a diagnosis needs about the instance behind a target. */
  facts(id: string): InstanceFacts | undefined;
  kill(id: string): Promise<void>;
  hang(id: string): void;
  resume(id: string): void;
  restart(id: string): Promise<void>;
  /** The Auto Scaling group with its scaling, for stacks that have one. */
  group?(): GroupView;
}
