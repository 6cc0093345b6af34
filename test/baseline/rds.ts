/**
 * RDS rules: encrypted, private, password managed by RDS in Secrets Manager, TLS forced by the
 * parameter group, backups kept.
 */
import { blocks, isTrue, num, referencedResources, resourcesOf, type SynthJson } from "../synth-json.js";
import type { Violation } from "./violation.js";

/** Check every aws_db_instance in the stack. */
export function checkDatabases(stack: SynthJson): Violation[] {
  const violations: Violation[] = [];
  for (const db of resourcesOf(stack, "aws_db_instance")) {
    const a = db.attrs;
    if (!isTrue(a.storage_encrypted)) {
      violations.push({ rule: "CKV_AWS_16", resource: db.address, message: `storage_encrypted is ${JSON.stringify(a.storage_encrypted)}; expected true` });
    }
    if (isTrue(a.publicly_accessible)) {
      violations.push({ rule: "CKV_AWS_17", resource: db.address, message: "publicly_accessible is true; the database lives in private subnets only" });
    }
    if (!isTrue(a.manage_master_user_password) || a.password !== undefined) {
      violations.push({
        rule: "SEEDSTACK_RDS_MANAGED_PASSWORD",
        resource: db.address,
        message: "the master password must be generated and kept by RDS in Secrets Manager (manage_master_user_password = true, no password attribute)",
      });
    }
    if (!(num(a.backup_retention_period) > 0)) {
      violations.push({
        rule: "CKV_AWS_133",
        resource: db.address,
        message: `backup_retention_period is ${JSON.stringify(a.backup_retention_period)}; expected at least 1 day`,
      });
    }
    const groups = referencedResources(stack, a.parameter_group_name, "aws_db_parameter_group");
    const forcesSsl = groups.some((g) =>
      blocks(g.attrs.parameter).some((p) => p.name === "rds.force_ssl" && String(p.value) === "1"),
    );
    if (!forcesSsl) {
      violations.push({
        rule: "CKV2_AWS_69",
        resource: db.address,
        message: `parameter group ${JSON.stringify(a.parameter_group_name)} does not set rds.force_ssl = 1`,
      });
    }
  }
  return violations;
}
