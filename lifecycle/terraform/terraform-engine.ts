/**
 * The terraform engine behind the lifecycle's `EnvironmentEngine` interface: the synthesized stack
 * deployed on a real AWS account with the terraform CLI (deploy.ts), then seen through its outputs
 * (`url`, `certificate_pem`, `target_group_arn`, `instance_ids` or the stack's desired capacity), the
 * target group's health (ELBv2 DescribeTargetHealth) and EC2 for the drill. Taking it down is a
 * destroy through its own state; a failed deploy that may have created something hands the
 * lifecycle a destroy for its `down` phase (StartFailedError).
 */
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { StartFailedError, type Environment, type EnvironmentEngine } from "../environment.js";
import { LifecycleError, type LifecycleErrorCode } from "../errors.js";
import type { Phase, RunContext } from "../events.js";
import { plainHttpCheckOf } from "../stack/plain-http-check.js";
import type { Stack } from "../stack/stack.js";
import { checkEnvironmentOptions, deployEnvironment, destroyEnvironment, type TerraformEnvironmentOptions } from "./deploy.js";
import type { TerraformEngineEvent } from "./deploy-events.js";
import type { EngineFailure, EngineFailureReason } from "./failure.js";
import { stringOutput, type Outputs } from "./json.js";
import { smokeConnectTo } from "./smoke-address.js";
import { candidateFromTags } from "./sweep.js";

/** The lifecycle error code of each terraform failure reason (the CLI's exit code follows from it). */
export const CODE_OF_REASON: Readonly<Record<EngineFailureReason, LifecycleErrorCode>> = {
  "state-locked": "ERR_STATE_LOCKED",
  "plan-failed": "ERR_PLAN_FAILED",
  "apply-failed": "ERR_APPLY_FAILED",
  "smoke-failed": "ERR_SMOKE_FAILED",
  "destroy-failed": "ERR_DESTROY_FAILED",
  cancelled: "ERR_CANCELLED",
};

/** A terraform failure as a lifecycle error: the one-line reason, then terraform's own last words (at most 12 lines). */
export function lifecycleErrorOf(failure: EngineFailure): LifecycleError {
  const tail = (failure.stderrTail ?? "")
    .split("\n")
    .map((l) => l.replace(/^[│╷╵]\s?/, "").trimEnd())
    .filter((l) => l.trim() !== "")
    .slice(-12);
  return new LifecycleError(CODE_OF_REASON[failure.reason], `${failure.reason}: ${failure.message}${tail.length ? `\n${tail.map((l) => `  ${l}`).join("\n")}` : ""}`, { cause: failure });
}

/** Settings of the terraform engine. */
export interface TerraformEngineSettings {
  /** The directory terraform runs in. @default `<the stack file's directory>` (cdktf.out/stacks/<name>) */
  readonly stackDir?: string;
  /** Where environment records are kept (environment-record.ts). */
  readonly recordDir: string;
  /** terraform's CLI configuration (cli-config.ts). @default terraform's own lookup */
  readonly cliConfigFile?: string;
  /** Further options of every terraform run (binary, lock timeout, retries, interrupt grace). @default the engine's */
  readonly terraform?: Partial<Omit<TerraformEnvironmentOptions, "name" | "stackDir" | "recordDir" | "cliConfigFile" | "onEvent">>;
  /**
   * Governs the destroy (so a second Ctrl-C, or CI's SIGTERM, forwards one interrupt to it and
   * leaves the environment recorded as needing destroy). @default never aborted
   */
  readonly cleanupSignal?: AbortSignal;
  /** The AWS clients. @default new clients in the stack's region, credentials from the default chain */
  readonly aws?: { readonly elb?: ElasticLoadBalancingV2Client; readonly ec2?: EC2Client };
  /** Time between DescribeTargetHealth calls. @default 5000 ms */
  readonly healthPollMs?: number;
  /** How long to wait for healthy targets when the lifecycle gives no deadline. @default 10 minutes (instances boot, then pass the health check) */
  readonly healthyDeadlineMs?: number;
}

/** What the lifecycle needs from the outputs, each missing or ill-typed one named. */
export function readEnvironmentOutputs(outputs: Outputs): { url: string; certificatePem?: string; targetGroupArn?: string; instanceIds?: string[]; albDnsName?: string } {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    try {
      return stringOutput(outputs, name);
    } catch (error) {
      problems.push((error as Error).message);
      return undefined;
    }
  };
  const url = get("url");
  // Without a target group there is no health to wait on and no target to drill (said so at run time).
  const targetGroupArn = outputs.target_group_arn ? get("target_group_arn") : undefined;
  const certificatePem = outputs.certificate_pem ? get("certificate_pem") : undefined;
  const albDnsName = outputs.alb_dns_name ? get("alb_dns_name") : undefined;
  let instanceIds: string[] | undefined;
  if (outputs.instance_ids) {
    const value = outputs.instance_ids.value;
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) instanceIds = value;
    else problems.push(`output "instance_ids" is ${JSON.stringify(outputs.instance_ids.type)}, not a list of strings`);
  }
  if (url !== undefined && !/^https?:\/\//.test(url)) problems.push(`output "url" is "${url}", not an http:// or https:// URL`);
  if (problems.length > 0) throw new LifecycleError("ERR_STACK_INVALID", `the applied stack's outputs cannot be used: ${problems.join("; ")}`);
  return { url: url!, ...(targetGroupArn ? { targetGroupArn } : {}), ...(certificatePem ? { certificatePem } : {}), ...(instanceIds ? { instanceIds } : {}), ...(albDnsName ? { albDnsName } : {}) };
}

/**
 * Where the smoke test checks plain HTTP on an applied stack: the listener the one rule picks
 * (stack/plain-http-check.ts, as the local engine does), on the load balancer's host; or why no
 * plain-HTTP check runs (listed as skipped). A URL with an explicit port is not the load
 * balancer's own address (a stand-in in tests): nothing is derived from it.
 */
export function plainHttpTargetOf(stack: Stack, url: string): { readonly redirectFromUrl: string } | { readonly redirectSkipped: string } {
  const check = plainHttpCheckOf(stack);
  if ("skipped" in check) return { redirectSkipped: check.skipped };
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" || parsed.port !== "") return { redirectSkipped: `the environment's URL ${url} is not the load balancer's HTTPS address on port 443, so its plain-HTTP address is unknown` };
  return { redirectFromUrl: `http://${parsed.hostname}${check.listener.port === 80 ? "" : `:${check.listener.port}`}` };
}

/** One line for people from a terraform engine event; undefined for events not worth a line. */
export function describeTerraformEvent(event: TerraformEngineEvent): string | undefined {
  switch (event.type) {
    case "command-started":
      return `terraform ${event.args.join(" ")}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ""}`;
    case "output-line":
      return event.line.trim() === "" ? undefined : `  ${event.line}`;
    case "retrying":
      return `transient error in ${event.command}; retrying in ${Math.round(event.notice.delayMs / 1000)} s`;
    case "planned": {
      const c = event.summary.counts;
      return `plan: ${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete${event.exitCode === 0 ? " (no changes)" : ""}`;
    }
    case "applied":
      return "applied the saved plan";
    case "outputs":
      return `outputs: ${JSON.stringify(event.outputs)}`;
    case "record":
      return event.status === "destroyed" ? `environment record removed (${event.path})` : `environment recorded as ${event.status} (${event.path})`;
    case "destroyed":
      return event.alreadyGone ? "nothing to destroy: the state is empty" : "destroyed";
    case "destroy-without-refresh":
      return `destroy stopped at a lookup that no longer finds what it found at apply (${event.lookupError}); destroying again from the state alone (-refresh=false)`;
    case "own-lock-removed":
      return `removed the state lock ${event.lockId} this process left behind`;
    case "failed":
      return `${event.failure.reason}: ${event.failure.message}`;
  }
}

/** The terraform engine. */
export function terraformEngine(settings: TerraformEngineSettings): EnvironmentEngine {
  const optionsFor = (stack: Stack, onEvent: TerraformEnvironmentOptions["onEvent"]): TerraformEnvironmentOptions => {
    const tags = candidateFromTags(stack.name, stack.defaultTags, stack.file);
    return {
      name: stack.name,
      stackDir: settings.stackDir ?? stack.file.replace(/[\\/][^\\/]+$/, ""),
      recordDir: settings.recordDir,
      ...(settings.cliConfigFile ? { cliConfigFile: settings.cliConfigFile } : {}),
      ...(tags.prNumber !== undefined ? { prNumber: tags.prNumber } : {}),
      ...(tags.expiresAt !== undefined ? { expiresAt: tags.expiresAt } : {}),
      // The caller's settings win over the stack's tags (the Action knows the PR and its TTL).
      ...settings.terraform,
      ...(onEvent ? { onEvent } : {}),
    };
  };
  return {
    name: "terraform",
    persistent: true,
    check(stack) {
      try {
        checkEnvironmentOptions(optionsFor(stack, undefined));
      } catch (error) {
        throw new LifecycleError("ERR_USAGE", (error as Error).message);
      }
    },
    async start(stack: Stack, ctx: RunContext): Promise<Environment> {
      let phase: Phase = "up";
      const options = optionsFor(stack, (event) => {
          const message = describeTerraformEvent(event);
          if (message !== undefined) ctx.onEvent({ type: "progress", phase, message });
          if (event.type === "planned") ctx.onEvent({ type: "plan", plan: event.summary });
          if (event.type === "record" && event.status === "applying") mayExist();
      });
      let said = false;
      function mayExist(): void {
        if (said) return;
        said = true;
        ctx.onEvent({ type: "resources-may-exist", stack: stack.name, engine: "terraform" });
      }
      let destroyed = false;
      let closeClients = (): void => undefined;
      const destroy = async (): Promise<void> => {
        closeClients();
        if (destroyed) return;
        phase = "down";
        const result = await destroyEnvironment(options, settings.cleanupSignal);
        if (!result.ok) throw lifecycleErrorOf(result.failure);
        destroyed = true;
      };

      const deploy = await deployEnvironment(options, ctx.signal);
      if (!deploy.ok) {
        const error = lifecycleErrorOf(deploy.failure);
        throw deploy.applyStarted ? new StartFailedError(error, destroy) : error;
      }
      mayExist(); // also when the plan had no changes: what exists is this run's to destroy
      let outputs: ReturnType<typeof readEnvironmentOutputs>;
      try {
        outputs = readEnvironmentOutputs(deploy.outputs);
      } catch (error) {
        throw new StartFailedError(error as LifecycleError, destroy);
      }

      const servers = stack.servers;
      const expectedTargets = outputs.instanceIds?.length ?? (servers.kind === "instances" ? servers.instances.length : servers.desired);
      const plainHttp = plainHttpTargetOf(stack, outputs.url);
      // acm-arn PR stacks: their URL's name has no DNS record; reach it through the ALB's own name.
      const connectTo = smokeConnectTo(outputs.url, outputs.albDnsName);
      const common = {
        stack,
        url: outputs.url,
        ...plainHttp,
        ...(outputs.certificatePem ? { certificatePem: outputs.certificatePem } : {}),
        ...(connectTo ? { connectTo } : {}),
        outputs: deploy.outputs,
        expectedTargets,
        speedup: 1,
        dispose: destroy,
      };
      const targetGroupArn = outputs.targetGroupArn;
      if (targetGroupArn === undefined) {
        // Nothing to ask AWS about: no wait, no drill; both said so where they would have run.
        const why = "the stack has no target_group_arn output";
        return {
          ...common,
          waitHealthy: async () => ctx.onEvent({ type: "progress", phase: "wait-healthy", message: `not waiting for healthy targets: ${why}` }),
          diagnose: () => [],
          drill: { targets: () => [], fail: () => Promise.reject(new Error(why)), recover: () => Promise.reject(new Error(why)) },
          drillModes: [],
          drillModesWhy: why,
        };
      }

      // The AWS SDK is loaded only now: every other command (and the local engine) starts without it.
      const [{ EC2Client }, { ElasticLoadBalancingV2Client }, { EC2_DRILL_MODES, EC2_DRILL_MODES_WHY, ec2DrillControl }, { TargetHealthWatcher }] = await Promise.all([
        import("@aws-sdk/client-ec2"),
        import("@aws-sdk/client-elastic-load-balancing-v2"),
        import("./ec2-drill.js"),
        import("./target-health.js"),
      ]);
      const region = stack.region;
      const elb = settings.aws?.elb ?? new ElasticLoadBalancingV2Client(region ? { region } : {});
      const ec2 = settings.aws?.ec2 ?? new EC2Client(region ? { region } : {});
      // Clients we made are closed at dispose (their keep-alive sockets); clients passed in are the caller's.
      closeClients = () => {
        if (!settings.aws?.elb) elb.destroy();
        if (!settings.aws?.ec2) ec2.destroy();
      };
      const health = new TargetHealthWatcher(elb, targetGroupArn, settings.healthPollMs ?? 5000);
      return {
        ...common,
        waitHealthy: (opts = {}) => health.waitHealthy(expectedTargets, opts.deadlineMs ?? settings.healthyDeadlineMs ?? 10 * 60_000, ctx),
        diagnose: () => health.diagnose(),
        drill: ec2DrillControl(ec2, health),
        drillModes: EC2_DRILL_MODES,
        drillModesWhy: EC2_DRILL_MODES_WHY,
        dispose: destroy,
      };
    },
  };
}
