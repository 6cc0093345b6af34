import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  applyArgs,
  destroyArgs,
  forceUnlockArgs,
  initArgs,
  outputArgs,
  planArgs,
  showPlanArgs,
  showStateArgs,
  TerraformArgsError,
} from "./args.js";

test("init: no prompts, no colour, the synthesized backend whatever .terraform says, backend settings in the order given", () => {
  assert.equal(initArgs(), ["init", "-input=false", "-no-color", "-reconfigure"]);
  assert.equal(initArgs({ backendConfig: { bucket: "state-bucket", key: "seedstack/pr-7/terraform.tfstate" } }), [
    "init",
    "-input=false",
    "-no-color",
    "-reconfigure",
    "-backend-config=bucket=state-bucket",
    "-backend-config=key=seedstack/pr-7/terraform.tfstate",
  ]);
});

test("init refuses a backend key that is not an attribute name", () => {
  assert.throws(() => initArgs({ backendConfig: { "-reconfigure": "x" } }), /backend config key .*"-reconfigure"/);
});

test("plan: fixed flags, lock timeout in seconds, detailed exit code, saved plan file, extras last", () => {
  assert.equal(planArgs({ planFile: "tfplan", lockTimeoutSeconds: 30 }), [
    "plan",
    "-input=false",
    "-no-color",
    "-lock-timeout=30s",
    "-detailed-exitcode",
    "-out=tfplan",
  ]);
  assert.equal(planArgs({ planFile: "p", lockTimeoutSeconds: 0, destroy: true, extraArgs: ["-var=a=1", "-parallelism=4"] }), [
    "plan",
    "-input=false",
    "-no-color",
    "-lock-timeout=0s",
    "-detailed-exitcode",
    "-out=p",
    "-destroy",
    "-var=a=1",
    "-parallelism=4",
  ]);
});

test("plan refuses extras that would override a fixed flag, and non-flags", () => {
  for (const extra of ["-out=other", "-input=true", "-lock=false", "-lock-timeout=1h", "-auto-approve", "-json", "-state=x"]) {
    assert.throws(() => planArgs({ planFile: "p", lockTimeoutSeconds: 1, extraArgs: [extra] }), /would override the fixed flag/, extra);
  }
  assert.throws(() => planArgs({ planFile: "p", lockTimeoutSeconds: 1, extraArgs: ["somedir"] }), /"somedir" is not a flag/);
});

test("lock timeout must be whole seconds within an hour", () => {
  for (const bad of [-1, 1.5, 3601, Number.NaN]) {
    assert.throws(() => planArgs({ planFile: "p", lockTimeoutSeconds: bad }), /lock timeout must be a whole number of seconds from 0 to 3600/);
    assert.throws(() => destroyArgs({ lockTimeoutSeconds: bad }), (e: unknown) => e instanceof TerraformArgsError);
  }
});

test("show reads the saved plan, or without a file the current state, as JSON", () => {
  assert.equal(showPlanArgs("tfplan"), ["show", "-json", "-no-color", "tfplan"]);
  assert.equal(showStateArgs(), ["show", "-json", "-no-color"]);
});

test("apply takes exactly the saved plan file and never plans afresh", () => {
  assert.equal(applyArgs({ planFile: "/tmp/x/tfplan", lockTimeoutSeconds: 5 }), [
    "apply",
    "-input=false",
    "-no-color",
    "-lock-timeout=5s",
    "/tmp/x/tfplan",
  ]);
  assert.throws(() => applyArgs({ planFile: "", lockTimeoutSeconds: 5 }), /a saved plan file path is required/);
  assert.throws(() => applyArgs({ planFile: "-auto-approve", lockTimeoutSeconds: 5 }), /must not start with "-"/);
});

test("output and destroy", () => {
  assert.equal(outputArgs(), ["output", "-json", "-no-color"]);
  assert.equal(destroyArgs({ lockTimeoutSeconds: 60 }), ["destroy", "-input=false", "-no-color", "-lock-timeout=60s", "-auto-approve"]);
  assert.equal(destroyArgs({ lockTimeoutSeconds: 60, refresh: true }), ["destroy", "-input=false", "-no-color", "-lock-timeout=60s", "-auto-approve"]);
  assert.equal(destroyArgs({ lockTimeoutSeconds: 60, refresh: false }), ["destroy", "-input=false", "-no-color", "-lock-timeout=60s", "-auto-approve", "-refresh=false"]);
});

test("force-unlock takes one lock ID as terraform printed it", () => {
  assert.equal(forceUnlockArgs("aaafe49e-204d-f8f7-ce70-0a08a7d94009"), [
    "force-unlock",
    "-no-color",
    "-force",
    "aaafe49e-204d-f8f7-ce70-0a08a7d94009",
  ]);
  assert.throws(() => forceUnlockArgs("-force"), /lock ID must be the ID terraform printed/);
  assert.throws(() => forceUnlockArgs(""), /lock ID/);
});

test.run();
