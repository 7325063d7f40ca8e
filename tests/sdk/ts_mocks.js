// Runs a compiled TypeScript example under @pulumi/pulumi's own mocks and prints, as JSON, every
// resource it registered: {type, name, inputs}. Each output the example exports is awaited first, so the
// program has run to its end.
//
//   node ts_mocks.js <example dir with bin/index.js> <project> <stack> <output,names>
//
// Every resource's outputs are the named ones, each `mock-<name>`, as a component's provider would
// return them.
// Config comes as `pulumi up` gives it, in PULUMI_CONFIG ({"<project>:<key>": "<value>"}).
"use strict";
const path = require("node:path");

const [exampleDir, project, stack, outputNames] = process.argv.slice(2);
const outputs = Object.fromEntries((outputNames || "").split(",").filter(Boolean).map((n) => [n, `mock-${n}`]));
// The example's own copy of @pulumi/pulumi: the one its program and the SDK register through.
const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [exampleDir] }));

const registered = [];
pulumi.runtime.setMocks(
    {
        newResource(args) {
            registered.push({ type: args.type, name: args.name, inputs: args.inputs });
            return { id: `${args.name}-id`, state: outputs };
        },
        call(args) {
            return args.inputs;
        },
    },
    project,
    stack,
    false,
);

async function main() {
    const exported = require(path.join(exampleDir, "bin", "index.js"));
    const values = {};
    for (const [key, value] of Object.entries(exported)) {
        values[key] = await new Promise((resolve) => pulumi.output(value).apply(resolve));
    }
    process.stdout.write(JSON.stringify({ registered, exported: values }));
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
