/** Where the lock-holder note goes: read from the synthesized stack's backend block (pure). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { lockHolderTargetOf } from "./lock-holder-target.js";

const stack = (backend: object) => ({ terraform: { backend } });

test("an S3 backend at <prefix>/pr-<n>/terraform.tfstate: the note goes to that bucket and prefix, for PR n", () => {
  assert.equal(lockHolderTargetOf(stack({ s3: { bucket: "acme-state", key: "shop/pr-12/terraform.tfstate", region: "eu-west-1", use_lockfile: true } })), {
    where: { bucket: "acme-state", namePrefix: "shop", region: "eu-west-1" },
    prNumber: 12,
  });
  assert.equal(lockHolderTargetOf(stack({ s3: { bucket: "b", key: "seedstack/pr-3/terraform.tfstate", use_path_style: true } }))?.where, { bucket: "b", namePrefix: "seedstack", forcePathStyle: true });
});

test("no note for a local backend, a long-lived stack's key, or something that is not a stack", () => {
  assert.is(lockHolderTargetOf(stack({ local: { path: "terraform.tfstate" } })), undefined);
  assert.is(lockHolderTargetOf(stack({ s3: { bucket: "b", key: "seedstack/classic/terraform.tfstate" } })), undefined);
  assert.is(lockHolderTargetOf(stack({ s3: { bucket: "b", key: "seedstack/pr-0/terraform.tfstate" } })), undefined);
  assert.is(lockHolderTargetOf(stack({ s3: { key: "seedstack/pr-3/terraform.tfstate" } })), undefined);
  assert.is(lockHolderTargetOf(undefined), undefined);
  assert.is(lockHolderTargetOf("text"), undefined);
});

test.run();
