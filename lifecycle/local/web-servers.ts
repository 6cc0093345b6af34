/**
 * The stack's EC2 instances (or its Auto Scaling group) as a service: one seed-server process per
 * instance on its own loopback address, configured from the user data, pointed at the database
 * (or, when the security groups forbid that hop, at a port where connections are dropped), and
 * registered with the load balancer. The Fleet also lets the drill kill, hang, resume and restart
 * an instance. Teardown kills every process first, then waits for them.
 */
import { randomBytes } from "node:crypto";
import { LifecycleError } from "../errors.js";
import type { UserDataFacts } from "../stack/stack.js";
import { startAutoScaling } from "./auto-scaling.js";
import { startScalingGroup, type ScalingGroup } from "./scaling-group.js";
import { VCPUS } from "../stack/read-scaling-policy.js";
import type { EmulatedService, Wiring } from "./emulated-service.js";
import { addressInCidr, allocateLoopbackNetwork } from "./loopback-network.js";
import { evaluateHop, type HopEndpoint, type HopVerdict } from "./security-groups.js";
import { startWebServer, type WebServerProcess } from "./web-server-process.js";

interface Instance {
  readonly id: string;
  readonly name: string;
  readonly host: string;
  readonly userData: UserDataFacts;
  /** The port the target group registers it on (its own attachment's). */
  readonly targetPort: number;
  readonly endpoint: HopEndpoint;
  readonly databaseHop?: HopVerdict;
  process?: WebServerProcess;
  exit?: { description: string; lastLines: string[] };
  launchedAt: number;
  terminating: boolean;
  /** The next exit is ours (the drill's kill, a replacement), not a crash. */
  endedOnPurpose?: boolean;
  /** Terminated and stopped: no longer a member. */
  gone?: boolean;
}

interface LaunchSpec {
  readonly name: string;
  readonly groups: readonly string[];
  readonly subnetCidr?: string;
  readonly userData: UserDataFacts;
  readonly targetPort: number;
}

/** An EC2-looking instance ID. */
const instanceId = () => `i-0${randomBytes(8).toString("hex")}`;

export const webServersService: EmulatedService = {
  name: "web servers",
  async start(w) {
    const { stack, ctx } = w;
    const alb = w.loadBalancer!.alb;
    const network = allocateLoopbackNetwork();
    const servers = stack.servers;
    const instances: Instance[] = [];
    let launched = 0;
    let disposed = false;
    let stopAutoScaling = (): void => undefined;
    let scaling: ScalingGroup | undefined;

    /** Start (or, with `again`, start once more) one instance's server; register it the first time. */
    const launch = async (spec: LaunchSpec, again?: Instance): Promise<Instance> => {
      const n = launched++;
      const modelled = addressInCidr(spec.subnetCidr, 10 + n);
      const endpoint: HopEndpoint = again?.endpoint ?? { label: `web server ${spec.name}`, groups: spec.groups, ...(modelled ? { address: modelled } : {}) };
      const databaseHop = again ? again.databaseHop : databaseHopOf(w, endpoint, spec);
      if (databaseHop && !databaseHop.allowed && !again) ctx.onEvent({ type: "hop-denied", hop: `${spec.name} -> database`, message: databaseHop.message });
      const instance: Instance = again ?? {
        id: instanceId(),
        name: spec.name,
        host: network.instanceAddress(n),
        userData: spec.userData,
        targetPort: spec.targetPort,
        endpoint,
        ...(databaseHop ? { databaseHop } : {}),
        launchedAt: Date.now(),
        terminating: false,
      };
      if (!again) instances.push(instance);
      instance.exit = undefined;
      instance.launchedAt = Date.now();
      try {
        const proc = await startWebServer(
          {
            instanceId: instance.id,
            bundle: w.settings.bundle,
            host: instance.host,
            port: spec.userData.port,
            drainSeconds: spec.userData.drainSeconds,
            logLevel: spec.userData.logLevel,
            quiet: w.settings.quietServers,
            track: w.settings.track,
            env: storeEnvironment(w, spec, databaseHop),
          },
          ctx.signal,
        );
        instance.process = proc;
        ctx.onEvent({ type: "instance-started", instance: instance.id, name: spec.name, pid: proc.pid, address: `${instance.host}:${spec.userData.port}` });
        void proc.exited.then((exit) => {
          if (disposed || instance.process !== proc) return;
          instance.exit = { description: exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`, lastLines: proc.lastLines(8) };
          const deliberate = instance.endedOnPurpose === true;
          instance.endedOnPurpose = false;
          ctx.onEvent({ type: "instance-exited", instance: instance.id, code: exit.code, signal: exit.signal, lastLines: proc.lastLines(8), ...(deliberate ? { deliberate } : {}) });
        });
      } catch (err) {
        if (!(err instanceof LifecycleError) || (err.code !== "ERR_PROCESS_EXITED" && err.code !== "ERR_ADDRESS_IN_USE")) throw err;
        // The instance is there but its app is not: the target stays unhealthy and is diagnosed.
        const [first, ...lines] = err.message.split("\n");
        instance.exit = { description: /\(([^)]*)\); last lines:$/.exec(first!)?.[1] ?? first!, lastLines: lines.map((l) => l.trim()) };
        ctx.onEvent({ type: "instance-exited", instance: instance.id, code: null, signal: null, lastLines: instance.exit.lastLines });
      }
      if (!again) alb.register({ id: instance.id, name: spec.name, host: instance.host, port: instance.targetPort, endpoint });
      return instance;
    };

    const dispose = async () => {
      if (disposed) return;
      disposed = true;
      stopAutoScaling();
      scaling?.stop();
      for (const i of instances) i.process?.signal("SIGKILL"); // kill them all first, then wait
      const errors: unknown[] = [];
      for (const i of instances) await i.process?.dispose().catch((e: unknown) => errors.push(e));
      if (errors.length > 0) throw errors[0];
    };

    try {
      if (servers.kind === "instances") {
        ctx.onEvent({ type: "progress", phase: "up", message: `starting ${servers.instances.length} seed server(s)` });
        await Promise.all(servers.instances.map((i) => launch({ name: i.name, groups: i.securityGroups, ...(i.subnetCidr ? { subnetCidr: i.subnetCidr } : {}), userData: i.userData, targetPort: i.targetPort })));
      } else {
        const asg = servers;
        let serial = 0;
        const launchOne = () => {
          const cidr = asg.subnetCidrs[serial % Math.max(1, asg.subnetCidrs.length)];
          return launch({ name: `${asg.name}-${serial++}`, groups: asg.securityGroups, ...(cidr ? { subnetCidr: cidr } : {}), userData: asg.userData, targetPort: asg.targetPort });
        };
        ctx.onEvent({ type: "progress", phase: "up", message: `starting the Auto Scaling group's ${asg.desired} seed server(s) (min ${asg.min}, max ${asg.max})` });
        await Promise.all(Array.from({ length: asg.desired }, launchOne));
        const takeOut = async (id: string) => {
          const i = instances.find((x) => x.id === id)!;
          i.terminating = true;
          await alb.deregister(id); // drained first: in-flight requests finish
          await i.process?.dispose();
          i.gone = true;
        };
        // Target tracking's warm-up: the policy's, else the group's default instance warm-up, else
        // the default cooldown (300 s), as AWS falls back.
        const warmupSeconds = asg.scalingPolicy?.estimatedWarmupSeconds ?? asg.defaultInstanceWarmupSeconds ?? 300;
        const instanceType = asg.instanceType ?? "t3.micro";
        const group: ScalingGroup = startScalingGroup({
          name: asg.name,
          min: asg.min,
          max: asg.max,
          desired: asg.desired,
          instanceType,
          vcpus: VCPUS[instanceType] ?? 2,
          ...(asg.scalingPolicy ? { policy: asg.scalingPolicy } : {}),
          periodMs: w.scaleMs(60),
          warmupMs: w.scaleMs(warmupSeconds),
          members: () =>
            instances
              .filter((x) => !x.gone)
              .map((x) => ({
                id: x.id,
                ...(x.process?.running() ? { pid: x.process.pid } : {}),
                launchedAt: x.launchedAt,
                lifecycle: x.terminating ? "Terminating" : !x.process || alb.targets().find((t) => t.id === x.id)?.state === "initial" ? "Pending" : "InService",
              })),
          launch: async () => (await launchOne()).id,
          terminate: takeOut,
          onEvent: (e) => ctx.onEvent(e),
        });
        scaling = group;
        stopAutoScaling = startAutoScaling({
          desired: () => group.desired(),
          max: asg.max,
          healthCheckType: asg.healthCheckType,
          graceMs: w.scaleMs(asg.gracePeriodSeconds),
          checkEveryMs: w.scaleMs(stack.targetGroup.healthCheck.intervalSeconds),
          inService: () => instances.filter((x) => !x.terminating).map((x) => ({ id: x.id, launchedAt: x.launchedAt, down: x.exit !== undefined })),
          targetState: (id) => alb.targets().find((t) => t.id === id)?.state,
          terminate: (id) => {
            const i = instances.find((x) => x.id === id)!;
            i.terminating = true;
            i.endedOnPurpose = true;
            void alb.deregister(id)
              .then(() => i.process?.dispose())
              .then(() => void (i.gone = true));
          },
          launch: async () => (await launchOne()).id,
          onEvent: (e) => ctx.onEvent(e),
        });
      }
    } catch (err) {
      await dispose().catch(() => undefined);
      throw err;
    }

    const find = (id: string): Instance => {
      const i = instances.find((x) => x.id === id && !x.terminating);
      if (!i) throw new LifecycleError("ERR_USAGE", `no running instance ${id}; instances: ${instances.filter((x) => !x.terminating).map((x) => x.id).join(", ")}`);
      return i;
    };
    w.fleet = {
      expected: servers.kind === "instances" ? servers.instances.length : servers.desired,
      instances: () =>
        instances
          .filter((i) => !i.terminating)
          .map((i) => ({ id: i.id, name: i.name, host: i.host, appPort: i.userData.port, ...(i.process ? { pid: i.process.pid } : {}), running: i.process?.running() ?? false })),
      facts(id) {
        const i = instances.find((x) => x.id === id);
        if (!i) return undefined;
        return { id: i.id, name: i.name, appPort: i.userData.port, targetPort: i.targetPort, ...(i.exit ? { exit: i.exit } : {}), ...(i.databaseHop ? { databaseHop: i.databaseHop } : {}) };
      },
      async kill(id) {
        const i = find(id);
        i.endedOnPurpose = true;
        i.process?.signal("SIGKILL");
        await i.process?.exited;
      },
      hang: (id) => void find(id).process?.signal("SIGSTOP"),
      resume: (id) => void find(id).process?.signal("SIGCONT"),
      ...(scaling ? { group: () => scaling!.view() } : {}),
      async restart(id) {
        const i = find(id);
        if (i.process?.running()) throw new LifecycleError("ERR_USAGE", `instance ${id} is still running`);
        await i.process?.dispose();
        i.process = undefined;
        await launch({ name: i.name, groups: i.endpoint.groups, userData: i.userData, targetPort: i.targetPort }, i); // its user data runs again
      },
    };
    return { [Symbol.asyncDispose]: dispose };
  },
};

/** The verdict on server -> database, when the server's user data uses the database. */
function databaseHopOf(w: Wiring, endpoint: HopEndpoint, spec: LaunchSpec): HopVerdict | undefined {
  if (spec.userData.store !== "postgres" || !w.database || !w.stack.database) return undefined;
  return evaluateHop(w.stack.securityGroups, endpoint, w.database.endpoint, spec.userData.database?.port ?? w.stack.database.port);
}

/** The store settings the user data gives the server, pointed at the local database. */
function storeEnvironment(w: Wiring, spec: LaunchSpec, databaseHop: HopVerdict | undefined): Record<string, string> {
  const env: Record<string, string> = { SEED_STORE: spec.userData.store };
  if (spec.userData.store !== "postgres") return env;
  const db = w.database;
  if (!db) throw new LifecycleError("ERR_STACK_INVALID", `${spec.name}'s user data uses the postgres store, but the stack has no database (aws_db_instance)`);
  return {
    ...env,
    PGHOST: "127.0.0.1",
    PGPORT: String(databaseHop?.allowed === false ? db.droppedPort : db.local.port),
    PGDATABASE: spec.userData.database?.name ?? db.local.database,
    PGUSER: spec.userData.database?.user ?? db.local.user,
    PGPASSWORD_FILE: db.local.passwordFile,
    PGSSLMODE: "disable",
  };
}
