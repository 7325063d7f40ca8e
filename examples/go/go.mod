module order-events-go

go 1.25

require (
	example.com/pulumi-order-events/sdk/go v0.0.0
	github.com/pulumi/pulumi/sdk/v3 v3.276.0
)

// What `pulumi package add ../../provider` writes: the generated SDK, beside this program.
replace example.com/pulumi-order-events/sdk/go => ./sdks/order-events
