/**
 * What `npm pack` would put in the package, checked file by file (`npm pack --dry-run` over the
 * dist/ that `npm test` builds first): a licence file, every entry point that package.json names,
 * no TypeScript sources, source maps that carry their sources, TSDoc that names only files the
 * package has, and library code that imports only what the package declares.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/** The paths `npm pack` would put in the tarball, relative to the package root. */
function packedFiles(): string[] {
  let out: string;
  try {
    out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8", timeout: 120_000 });
  } catch (error) {
    const timedOut = (error as NodeJS.ErrnoException).code === "ETIMEDOUT";
    throw new Error(timedOut ? "npm pack --dry-run did not finish within 120 s" : `npm pack --dry-run failed: ${(error as Error).message}`);
  }
  return JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
}

const files = packedFiles();
const shipped = (path: string) => files.includes(path.replace(/^\.\//, ""));
const read = (path: string) => readFileSync(join(root, path), "utf8");

/** The package a bare import specifier names: `@scope/name/deep/path` -> `@scope/name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

test("the package ships an MIT LICENSE file, as package.json says, and the README", () => {
  assert.is(manifest.license, "MIT");
  assert.ok(shipped("LICENSE"), `LICENSE is not in the package: ${files.join(", ")}`);
  assert.match(read("LICENSE"), /^MIT License\n/);
  assert.match(read("LICENSE"), /Permission is hereby granted, free of charge/);
  assert.ok(shipped("README.md"));
});

test("every entry point package.json names is in the package, for import and for require", () => {
  const modules = manifest.exports["./modules"];
  const targets = [
    modules.import.types,
    modules.import.default,
    modules.require.types,
    modules.require.default,
    ...manifest.typesVersions["*"].modules,
    ...Object.values<string>(manifest.bin),
  ];
  assert.ok(targets.length >= 6, "exports has import and require conditions with types for each");
  for (const target of targets) assert.ok(shipped(target), `${target} is named in package.json but not in the package`);
  // Node and TypeScript read the require half as CommonJS only because of this file.
  assert.ok(shipped("dist/cjs/package.json"));
  assert.equal(JSON.parse(read("dist/cjs/package.json")), { type: "commonjs" });
});

test("no TypeScript sources, tests or test fixtures are shipped", () => {
  const unwanted = files.filter((f) => (/\.[cm]?ts$/.test(f) && !/\.d\.[cm]?ts$/.test(f)) || /\.test\.|test-support|(^|\/)test\//.test(f));
  assert.equal(unwanted, []);
});

test("every shipped source map carries the text of every source it names (the .ts files are not shipped)", () => {
  const maps = files.filter((f) => f.endsWith(".map"));
  assert.ok(maps.length > 0, "the library ships source maps");
  for (const map of maps) {
    const { sources, sourcesContent } = JSON.parse(read(map)) as { sources: string[]; sourcesContent?: Array<string | null> };
    assert.ok(sources.length > 0, map);
    assert.is(sourcesContent?.length, sources.length, `${map}: sourcesContent for each of ${sources.join(", ")}`);
    sourcesContent!.forEach((text, i) => assert.type(text, "string", `${map}: no inline text for ${sources[i]}`));
  }
  for (const js of files.filter((f) => /\.[cm]?js$/.test(f))) {
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(read(js))?.[1];
    if (url) assert.ok(shipped(join(js, "..", url)), `${js} points at ${url}, which is not in the package`);
  }
});

test("TSDoc in the shipped declarations names only files the package has", () => {
  const missing: string[] = [];
  for (const dts of files.filter((f) => f.endsWith(".d.ts"))) {
    const comments = read(dts).match(/\/\*[\s\S]*?\*\/|\/\/.*$/gm) ?? [];
    for (const comment of comments) {
      for (const [name] of comment.matchAll(/[\w@.<>/-]*[\w-]\.(?:md|ts|mts|cts|js|mjs|cjs|json)\b/g)) {
        // Not files of this package: paths on the instance, placeholders, URLs, other packages.
        if (/^[/<]|>|:\/\//.test(name) || /^@cdktf\//.test(name)) continue;
        if (name === "Node.js") continue; // the runtime's name, not a file

        const found = name.includes("/") ? shipped(name) : files.some((f) => basename(f) === name);
        if (!found) missing.push(`${dts}: ${name}`);
      }
    }
  }
  assert.equal(missing, [], `TSDoc names files that are not in the package:\n${missing.join("\n")}`);
});

test("cdktf, constructs and the provider bindings are peer dependencies with ranges, never bundled dependencies", () => {
  const peers = manifest.peerDependencies ?? {};
  // A second copy of constructs in a consumer's tree breaks synth (issue 8), so these are the
  // consumer's. provider-aws 20.x binds hashicorp/aws 5.x; 21.x binds 6.x, which renamed attributes.
  assert.match(peers["constructs"], /^\^10\./);
  assert.match(peers["cdktf"], /^\^0\.21\./);
  assert.match(peers["@cdktf/provider-aws"], /^\^20\./);
  assert.match(peers["@cdktf/provider-tls"], /^\^11\./);
  for (const name of ["constructs", "cdktf", "@cdktf/provider-aws", "@cdktf/provider-tls"]) {
    assert.not.ok(manifest.dependencies?.[name], `${name} must not be a dependency`);
    assert.ok(manifest.devDependencies?.[name], `${name} is pinned as a devDependency for our own builds and tests`);
  }
});

test("the shipped library imports only Node built-ins and its peer dependencies", () => {
  const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }));
  const builtins = new Set(builtinModules);
  const undeclared: string[] = [];
  for (const js of files.filter((f) => /^dist\/(esm|cjs)\/.*\.js$/.test(f))) {
    const text = read(js);
    const specifiers = [...text.matchAll(/\brequire\("([^"]+)"\)|\bfrom "([^"]+)"|\bimport "([^"]+)"/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
    for (const specifier of specifiers) {
      if (specifier.startsWith(".") || specifier.startsWith("node:") || builtins.has(specifier)) continue;
      if (!declared.has(packageOf(specifier))) undeclared.push(`${js}: ${specifier}`);
    }
  }
  assert.equal(undeclared, []);
});

test.run();
