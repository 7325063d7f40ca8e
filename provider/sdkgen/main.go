// Command sdkgen writes the order-events package's SDKs from provider/schema.json with Pulumi's own
// code generators, called as `pulumi package add <dir>` has the language hosts call them at the
// version go.mod pins: the CLI binds the schema it read from the plugin, marks it SupportPack (local
// packages only) and hands its JSON to each host, which binds it again and runs its generator.
//
//	go run . -schema ../schema.json -out DIR [-lang nodejs,go,python]
//
// writes DIR/nodejs, DIR/go and DIR/python, each cleaned first, as `pulumi package gen-sdk` lays them out.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodejs "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	python "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// generators are the language hosts' GeneratePackage bodies: the tool name each host passes (it heads
// every generated file) and the arguments `pulumi package add` gives it (local=true, no overlays, no
// local dependencies).
var generators = map[string]func(*schema.Package, schema.ReferenceLoader) (map[string][]byte, error){
	"nodejs": func(pkg *schema.Package, loader schema.ReferenceLoader) (map[string][]byte, error) {
		return nodejs.GeneratePackage("pulumi-language-nodejs", pkg, nil, nil, true, loader)
	},
	"go": func(pkg *schema.Package, _ schema.ReferenceLoader) (map[string][]byte, error) {
		return gogen.GeneratePackage("pulumi-language-go", pkg, nil)
	},
	"python": func(pkg *schema.Package, loader schema.ReferenceLoader) (map[string][]byte, error) {
		return python.GeneratePackage("pulumi-language-python", pkg, nil, loader)
	},
}

func main() {
	schemaPath := flag.String("schema", "", "the package schema (provider/schema.json)")
	out := flag.String("out", "", "the directory each language's SDK is written under")
	langs := flag.String("lang", "nodejs,go,python", "the languages to generate, comma-separated")
	flag.Parse()
	if *schemaPath == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*schemaPath, *out, strings.Split(*langs, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "sdkgen:", err)
		os.Exit(1)
	}
}

func run(schemaPath, out string, langs []string) error {
	packed, err := cliSchema(schemaPath)
	if err != nil {
		return err
	}
	for _, lang := range langs {
		generate, ok := generators[lang]
		if !ok {
			return fmt.Errorf("no generator for %q", lang)
		}
		if err := hostGenerate(lang, packed, generate, filepath.Join(out, lang)); err != nil {
			return fmt.Errorf("%s: %w", lang, err)
		}
	}
	return nil
}

// cliSchema is what the CLI sends a language host: the plugin's schema bound, SupportPack set, as JSON.
func cliSchema(path string) ([]byte, error) {
	pkg, err := bind(path)
	if err != nil {
		return nil, err
	}
	pkg.SupportPack = true
	return pkg.MarshalJSON()
}

func bind(path string) (*schema.Package, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s does not bind: %w", path, diags)
	}
	return pkg, nil
}

// hostGenerate binds the JSON again, as each host does, and writes the generator's files into dir.
func hostGenerate(
	lang string, packed []byte,
	generate func(*schema.Package, schema.ReferenceLoader) (map[string][]byte, error), dir string,
) error {
	var spec schema.PackageSpec
	if err := json.Unmarshal(packed, &spec); err != nil {
		return err
	}
	pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return diags
	}
	files, err := generate(pkg, noReferences{})
	if err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// noReferences is the loader: the schema names no other package, so any load is a mistake to report.
type noReferences struct{}

var errNoReferences = errors.New("provider/schema.json references another package; sdkgen loads none")

func (noReferences) LoadPackage(string, *semver.Version) (*schema.Package, error) {
	return nil, errNoReferences
}

func (noReferences) LoadPackageV2(context.Context, *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, errNoReferences
}

func (noReferences) LoadPackageReference(string, *semver.Version) (schema.PackageReference, error) {
	return nil, errNoReferences
}

func (noReferences) LoadPackageReferenceV2(
	context.Context, *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, errNoReferences
}
