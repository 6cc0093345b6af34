import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
const app = new App();
const s = new TerraformStack(app, "classic");
new AwsProvider(s, "aws", { region: "us-east-1" });
app.synth();
