/**
 * A throw-away directory per real-terraform test: a fixture stack, an empty CLI config of our own
 * (this machine's TF_CLI_CONFIG_FILE points at a missing file, and `terraform_data` needs no
 * provider), and clean-up that stops every terraform process still running.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import { signalGroup } from "../../test-support/stop-group.js";
import { liveTerraformProcesses } from "../run-terraform.js";

/** terraform on PATH, or undefined after one loud line saying the real-binary tests are skipped. */
function findTerraform(): string | undefined {
  const probe = spawnSync("terraform", ["version"], { encoding: "utf8" });
  if (probe.status === 0) return "terraform";
  console.warn("!!! terraform is not on PATH: the real-terraform tests in lifecycle/terraform are SKIPPED !!!");
  return undefined;
}

/** Whether the real binary is here. */
export const TERRAFORM_AVAILABLE = findTerraform() !== undefined;

/** `test` when terraform is on PATH, `test.skip` otherwise. */
export const tfTest = TERRAFORM_AVAILABLE ? test : test.skip;

/** One test's directory. */
export interface Workspace {
  readonly root: string;
  /** The stack directory (`cdk.tf.json` lives here). */
  readonly stackDir: string;
  /** Environment for every terraform run: our own empty CLI config. */
  readonly env: Readonly<Record<string, string>>;
  /** Write (or replace) the stack's `cdk.tf.json`. */
  writeStack(stack: object): void;
  /**
   * Kill every terraform process the runner still has running (with its process group: providers,
   * provisioner commands), then delete the directory. Only the runner's own live processes are
   * killed, so a recycled pid can never hit someone else's process.
   */
  dispose(): void;
}

/**
 * SIGKILL every terraform process the runner still has running, with its process group (providers,
 * provisioner commands): a test's clean-up. Only the runner's own live processes, so a recycled pid
 * can never hit someone else's process.
 */
export function killLiveTerraform(): void {
  for (const pid of liveTerraformProcesses()) signalGroup(pid, "SIGKILL");
}

/** A new workspace under the system temp directory. */
export function makeWorkspace(): Workspace {
  const root = mkdtempSync(join(tmpdir(), "seedstack-tf-"));
  const stackDir = join(root, "stack");
  mkdirSync(stackDir);
  const cliConfig = join(root, "terraform.tfrc");
  writeFileSync(cliConfig, "# empty on purpose: terraform_data needs no provider\n");
  return {
    root,
    stackDir,
    env: { TF_CLI_CONFIG_FILE: cliConfig },
    writeStack(stack) {
      writeFileSync(join(stackDir, "cdk.tf.json"), JSON.stringify(stack, null, 2));
    },
    dispose() {
      killLiveTerraform();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Resolve when `predicate` holds, checking every 20 ms; fail naming `what` after `deadlineMs`. */
export async function waitFor(what: string, predicate: () => boolean, deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
