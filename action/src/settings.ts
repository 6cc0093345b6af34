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
    childEnv: { ...env },
  };
}
