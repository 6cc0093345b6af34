/** Where the lock-holder note goes: a view over the backend block as the stack reader gives it (pure). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { stackSettingsOf } from "../stack/read-stack-settings.js";
import { lockHolderTargetOf } from "./lock-holder-target.js";

/** The note's target of synthesized JSON with this `terraform.backend` block. */
const targetOf = (json: unknown) => lockHolderTargetOf(stackSettingsOf(json));
const stack = (backend: object) => ({ terraform: { backend } });

test("an S3 backend at <prefix>/pr-<n>/terraform.tfstate: the note goes to that bucket and prefix, for PR n", () => {
  assert.equal(targetOf(stack({ s3: { bucket: "acme-state", key: "shop/pr-12/terraform.tfstate", region: "eu-west-1", use_lockfile: true } })), {
    where: { bucket: "acme-state", namePrefix: "shop", region: "eu-west-1" },
    prNumber: 12,
  });
  assert.equal(targetOf(stack({ s3: { bucket: "b", key: "seedstack/pr-3/terraform.tfstate", use_path_style: true } }))?.where, { bucket: "b", namePrefix: "seedstack", forcePathStyle: true });
  assert.equal(targetOf(stack({ s3: { bucket: "b", key: "seedstack/pr-3/terraform.tfstate", force_path_style: "true" } }))?.where, { bucket: "b", namePrefix: "seedstack", forcePathStyle: true }, "the older name, as a string");
});

test("no note for a local backend, a long-lived stack's key, or something that is not a stack", () => {
  assert.is(targetOf(stack({ local: { path: "terraform.tfstate" } })), undefined);
  assert.is(targetOf(stack({ s3: { bucket: "b", key: "seedstack/classic/terraform.tfstate" } })), undefined);
  assert.is(targetOf(stack({ s3: { bucket: "b", key: "seedstack/pr-0/terraform.tfstate" } })), undefined);
  assert.is(targetOf(stack({ s3: { key: "seedstack/pr-3/terraform.tfstate" } })), undefined);
  assert.is(targetOf(stack({ gcs: { bucket: "b", key: "seedstack/pr-3/terraform.tfstate" } })), undefined, "only S3 holds the note");
  assert.is(targetOf(undefined), undefined);
  assert.is(targetOf("text"), undefined);
});

test.run();
