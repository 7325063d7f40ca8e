// The order pipeline from TypeScript: one component from the `order-events` package, sized by three
// config values, its alarms mailed to an address when one is configured.
import * as pulumi from "@pulumi/pulumi";
import * as orderEvents from "@pulumi/order-events";

const config = new pulumi.Config();
const { NatStrategy } = orderEvents.types.enums;
// Refused before anything runs unless it is one of the enum's values.
const natStrategy = config.require<orderEvents.types.enums.NatStrategy>("natStrategy", {
    allowedValues: Object.values(NatStrategy),
});

const orders = new orderEvents.Pipeline("orders", {
    // The directory holding the handler's Dockerfile: this repo's root, relative to this program.
    image: { context: "../.." },
    network: { natStrategy },
    database: {
        instanceCount: config.requireNumber("dbInstanceCount"),
        // DocumentDB Serverless idling at 0.5 DCU, as the root program's dev stack runs it
        instanceClass: "db.serverless",
        serverlessMinCapacity: 0.5,
        serverlessMaxCapacity: 2,
    },
    service: { maxTasks: config.requireNumber("maxTasks") },
    alarmEmail: config.get("alarmEmail") || undefined,
});

export const apiInvokeUrl = orders.apiInvokeUrl;
export const eventBusName = orders.busName;
export const dlqUrl = orders.dlqUrl;
export const readerPolicyArn = orders.readerPolicyArn;
export const dashboardName = orders.dashboardName;
// Unpinned, the image trusts the RDS CA bundle fetched at deploy time: pin this value later.
export const rdsCaBundleSha256 = orders.rdsCaBundleSha256;
