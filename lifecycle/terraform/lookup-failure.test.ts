/**
 * Which destroy errors count as a failed data-source lookup. The texts are terraform 1.11.4's own
 * stderr (`-no-color`), captured from real runs of the lookup fixture (destroy-lookup.test.ts) and
 * an HCL variant of it; the AWS one is written by hand in the same layout, with the AWS provider's
 * summary for a VPC lookup that matches nothing (no AWS account is used here).
 */
import * as assert from "uvu/assert";
import { test } from "uvu";
import { lookupFailureIn } from "./lookup-failure.js";

const MISSING_REMOTE_STATE = `
Error: Unable to find remote state

  with data.terraform_remote_state.network,
  on cdk.tf.json line 5, in data.terraform_remote_state.network.lifecycle:
   5:         "lifecycle": {

No stored state was found for the given workspace in the given backend.
`;

const ELEMENT_OF_EMPTY_IN_RESOURCE = `
Warning: Resource postcondition failed

  on cdk.tf.json line 9, in data.terraform_remote_state.network.lifecycle.postcondition[0]:
   9:   "condition": "\${length(self.outputs.subnets) > 0}",
    ├────────────────
    │ self.outputs.subnets is empty list of string

the network has no subnets

Error: Error in function call

  on cdk.tf.json line 17, in resource.terraform_data.web:
  17:         "input": "\${element(data.terraform_remote_state.network.outputs.subnets, 0)}"
    ├────────────────
    │ while calling element(list, index)
    │ data.terraform_remote_state.network.outputs.subnets is empty list of string

Call to function "element" failed: cannot use element function with an empty
list.
`;

const ELEMENT_IN_DATA_ARGUMENT_HCL = `
Error: Error in function call

  on main.tf line 4, in data "terraform_remote_state" "first":
   4:   config = { path = "../src/\${element(local.ids, 0)}.tfstate" }
    ├────────────────
    │ while calling element(list, index)
    │ local.ids is empty tuple

Call to function "element" failed: cannot use element function with an empty
list.
`;

const AWS_VPC_NOT_FOUND = `
Error: no matching EC2 VPC found

  with data.aws_vpc.network_vpc_1A2B3C4D,
  on cdk.tf.json line 412, in data.aws_vpc.network_vpc_1A2B3C4D:
 412:       }
`;

test("a data source that finds nothing is a lookup failure, named with its address", () => {
  assert.equal(lookupFailureIn(MISSING_REMOTE_STATE), "Error: Unable to find remote state (with data.terraform_remote_state.network,)");
  assert.equal(lookupFailureIn(AWS_VPC_NOT_FOUND), "Error: no matching EC2 VPC found (with data.aws_vpc.network_vpc_1A2B3C4D,)");
});

test("element() of a looked-up list that is now empty is one, in a resource (JSON) or a data source's argument (HCL)", () => {
  assert.equal(lookupFailureIn(ELEMENT_OF_EMPTY_IN_RESOURCE), "Error: Error in function call (data.terraform_remote_state.network.outputs.subnets is empty list of string)");
  assert.equal(lookupFailureIn(ELEMENT_IN_DATA_ARGUMENT_HCL), 'Error: Error in function call (on main.tf line 4, in data "terraform_remote_state" "first":)');
});

test("a warning about a data source alone is not a failure; errors naming no data source are not lookup failures", () => {
  const warningOnly = ELEMENT_OF_EMPTY_IN_RESOURCE.slice(0, ELEMENT_OF_EMPTY_IN_RESOURCE.indexOf("Error: "));
  assert.is(lookupFailureIn(warningOnly), undefined);
  assert.is(lookupFailureIn(""), undefined);
  const destroyProvisioner = `
Error: local-exec provisioner error

  with terraform_data.doomed,
  on cdk.tf.json line 12, in resource.terraform_data.doomed:
  12:         }

Error running command 'echo 'fixture: destroy refused' >&2; exit 3': exit status 3. Output: fixture: destroy refused
`;
  assert.is(lookupFailureIn(destroyProvisioner), undefined);
  const credentials = `
Error: No valid credential sources found

  with provider["registry.terraform.io/hashicorp/aws"],
  on cdk.tf.json line 20, in provider.aws:
  20:   "aws": [

Please see https://registry.terraform.io/providers/hashicorp/aws
`;
  assert.is(lookupFailureIn(credentials), undefined);
});

test.run();
