// The order pipeline from a Go program: one component from the `order-events` package, sized by three
// config values, its alarms mailed to an address when one is configured (the TypeScript example's twin).
package main

import (
	"example.com/pulumi-order-events/sdk/go/orderevents"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		natStrategy := orderevents.NatStrategy(cfg.Require("natStrategy"))
		dbInstanceCount := cfg.RequireInt("dbInstanceCount")
		maxTasks := cfg.RequireInt("maxTasks")
		// DocumentDB Serverless idling at 0.5 DCU, as the root program's dev stack runs it.
		minCapacity, maxCapacity := 0.5, 2.0
		args := &orderevents.PipelineArgs{
			// The directory holding the handler's Dockerfile: this repo's root, relative to this program.
			Image:   orderevents.ImageSettingsArgs{Context: "../.."},
			Network: &orderevents.NetworkSettingsArgs{NatStrategy: &natStrategy},
			Database: &orderevents.DatabaseSettingsArgs{
				InstanceCount:         &dbInstanceCount,
				InstanceClass:         pulumi.StringPtr("db.serverless"),
				ServerlessMinCapacity: &minCapacity,
				ServerlessMaxCapacity: &maxCapacity,
			},
			Service: &orderevents.ServiceSettingsArgs{MaxTasks: &maxTasks},
		}
		if email := cfg.Get("alarmEmail"); email != "" {
			args.AlarmEmail = pulumi.StringPtr(email)
		}
		orders, err := orderevents.NewPipeline(ctx, "orders", args)
		if err != nil {
			return err
		}
		ctx.Export("apiInvokeUrl", orders.ApiInvokeUrl)
		ctx.Export("eventBusName", orders.BusName)
		ctx.Export("dlqUrl", orders.DlqUrl)
		ctx.Export("readerPolicyArn", orders.ReaderPolicyArn)
		ctx.Export("dashboardName", orders.DashboardName)
		// Unpinned, the image trusts the RDS CA bundle fetched at deploy time: pin this value later.
		ctx.Export("rdsCaBundleSha256", orders.RdsCaBundleSha256)
		return nil
	})
}
