/**
 * Environment variables that keep the cdktf CLI from calling out, so `synth`, `list` and friends
 * work on a machine without internet access and send nothing anywhere:
 *
 * - CHECKPOINT_DISABLE=1: HashiCorp's checkpoint telemetry, which `cdktf synth` posts to
 *   checkpoint-api.hashicorp.com after every run (@cdktf/commons checkpoint.js).
 * - DISABLE_VERSION_CHECK=1: the "newer version available" check, an `npm view cdktf` call the CLI
 *   makes when its output is a terminal.
 *
 * Crash reports (Sentry) are off through `"sendCrashReports": "false"` in cdktf.json.
 */
export const OFFLINE_ENV: Readonly<Record<string, string>> = { CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1" };
