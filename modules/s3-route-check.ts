/**
 * The plan-time check that an existing VPC's private subnets route S3 traffic through a gateway
 * endpoint: without a NAT gateway that route is the servers' only way to the seed-server bundle
 * and the Amazon Linux package repositories (both in S3), and without it they never become
 * healthy, which AWS would only show an hour into a failed deploy.
 *
 * Why route tables and not the `aws_vpc_endpoint` data source: that one fails with the provider's
 * own words when a VPC has no S3 gateway endpoint and when it has several (legal: one per set of
 * route tables, e.g. with different policies), and an endpoint in the VPC proves nothing about the
 * private subnets, whose route tables must carry its route. A gateway endpoint adds a route to the
 * region's S3 prefix list to each route table associated with it; a subnet uses the route table
 * explicitly associated with it, or else the VPC's main table. `aws_route_tables` lookups return a
 * list, empty when nothing matches, so each case ends in our own message.
 */
import type { Construct } from "constructs";
import { Fn, ref } from "cdktf";
import { DataAwsRouteTables } from "@cdktf/provider-aws/lib/data-aws-route-tables/index.js";
import type { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc/index.js";
import type { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet/index.js";
import type { DataAwsPrefixList } from "@cdktf/provider-aws/lib/data-aws-prefix-list/index.js";

/** What {@link requireS3GatewayRoutes} checks. */
export interface S3GatewayRouteCheckProps {
  /** The VPC, as looked up. */
  readonly vpc: DataAwsVpc;
  /** The region's S3 prefix list (the destination of every S3 gateway endpoint's routes). */
  readonly s3PrefixList: DataAwsPrefixList;
  /** The subnets whose route tables must route S3 through a gateway endpoint. */
  readonly subnets: readonly DataAwsSubnet[];
}

/** The lookups of a {@link requireS3GatewayRoutes} check. */
export interface S3GatewayRouteCheck {
  /** The VPC's route tables with a route to the S3 prefix list. */
  readonly routedTables: DataAwsRouteTables;
  /** Per subnet, in order: the route table explicitly associated with it (none: it uses the main table), with the postcondition. */
  readonly subnetTables: readonly DataAwsRouteTables[];
}

/**
 * Look up the VPC's route tables that route S3 through a gateway endpoint, and each subnet's route
 * table, whose postcondition stops the plan naming the subnet and its table when that table is
 * not among them. Construct IDs: `s3-routed-tables`, `private-<i>-route-table`.
 */
export function requireS3GatewayRoutes(scope: Construct, props: S3GatewayRouteCheckProps): S3GatewayRouteCheck {
  const { vpc, s3PrefixList, subnets } = props;
  const routedTables = new DataAwsRouteTables(scope, "s3-routed-tables", {
    vpcId: vpc.id,
    filter: [{ name: "route.destination-prefix-list-id", values: [s3PrefixList.id] }],
  });
  const subnetTables = subnets.map((subnet, i) => {
    // The explicitly associated table if there is one, else the VPC's main table.
    const table = Fn.element(Fn.concat([ref("self.ids"), [vpc.mainRouteTableId]]), 0);
    return new DataAwsRouteTables(scope, `private-${i}-route-table`, {
      vpcId: vpc.id,
      filter: [{ name: "association.subnet-id", values: [subnet.id] }],
      lifecycle: {
        postcondition: [
          {
            condition: Fn.contains(routedTables.ids, table),
            errorMessage:
              `ExistingNetwork: private subnet ${subnet.id} uses route table ${table}, which has no route to S3 through a gateway endpoint ` +
              `(${s3PrefixList.name}): the servers fetch the seed-server bundle and Amazon Linux packages from S3 and would never become healthy. ` +
              `Associate the VPC's S3 gateway endpoint with that route table, or, if the private subnets reach the internet through a NAT gateway, ` +
              `say so (natGateway; SEEDSTACK_VPC_NAT=on)`,
          },
        ],
      },
    });
  });
  return { routedTables, subnetTables };
}
