/**
 * The process environment, read once at the entry (runtime.ts) into typed settings, as
 * actions/cache reads its inputs once: nothing after the entry looks at `process.env`.
 */
import { TEST_SPEEDUP_ENV, TEST_TERRAFORM_DIR_ENV, TEST_USE_SYNTHESIZED_ENV } from "./constants.js";

/** What the real lifecycle (real-lifecycle.ts) needs from the environment. */
export interface LifecycleSettings {
  /** Resources are named `<namePrefix>-<stack>` (SEEDSTACK_NAME_PREFIX). @default "seedstack" */
  readonly namePrefix: string;
  /** TEST-ONLY (SEEDSTACK_ACTION_TEST_SPEEDUP): the local engine's clock speed-up. @default 1 */
  readonly speedup: number;
  /** TEST-ONLY (SEEDSTACK_ACTION_TEST_USE_SYNTHESIZED=1): use the stack already in cdktf.out, do not synthesize. @default false */
  readonly useSynthesized: boolean;
  /** TEST-ONLY (SEEDSTACK_ACTION_TEST_TERRAFORM_DIR): where terraform runs instead of the stack's directory, relative to the working directory. @default the stack's directory */
  readonly terraformDir?: string;
  /**
   * The state bucket of pull-request environments (SEEDSTACK_STATE_BUCKET), its region
   * (SEEDSTACK_STATE_REGION, else SEEDSTACK_REGION, else AWS_REGION) and its name prefix: the sweep
   * lists the states there, and the post step hands an unfinished destroy over there.
   * @default none: the sweep reads the environment records on the runner's disk
   */
  readonly stateBucket?: { readonly bucket: string; readonly namePrefix: string; readonly region?: string };
  /** What child processes (the synthesis, terraform's provider-mirror search) inherit. */
  readonly childEnv: Readonly<NodeJS.ProcessEnv>;
}

/** The settings of `env`; throws naming a malformed test-only setting. */
export function lifecycleSettingsOf(env: NodeJS.ProcessEnv): LifecycleSettings {
  const raw = env[TEST_SPEEDUP_ENV];
  const speedup = raw === undefined || raw === "" ? 1 : Number(raw);
  if (!Number.isFinite(speedup) || speedup < 1 || speedup > 100) throw new Error(`${TEST_SPEEDUP_ENV} is "${raw}"; allowed: a number from 1 to 100 (test-only)`);
  const terraformDir = env[TEST_TERRAFORM_DIR_ENV];
  return {
    namePrefix: env.SEEDSTACK_NAME_PREFIX || "seedstack",
    speedup,
    useSynthesized: env[TEST_USE_SYNTHESIZED_ENV] === "1",
    ...(terraformDir ? { terraformDir } : {}),
    ...(env.SEEDSTACK_STATE_BUCKET ? { stateBucket: stateBucketOf(env, env.SEEDSTACK_STATE_BUCKET) } : {}),
    childEnv: { ...env },
  };
}

function stateBucketOf(env: NodeJS.ProcessEnv, bucket: string): NonNullable<LifecycleSettings["stateBucket"]> {
  const region = env.SEEDSTACK_STATE_REGION || env.SEEDSTACK_REGION || env.AWS_REGION;
  return { bucket, namePrefix: env.SEEDSTACK_NAME_PREFIX || "seedstack", ...(region ? { region } : {}) };
}
