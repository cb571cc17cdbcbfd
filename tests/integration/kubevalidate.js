// node kubevalidate.js FILE...: every object of every YAML file checked
// against the Kubernetes schemas of npm's kubernetes-models (found on
// NODE_PATH, with js-yaml), and its name and labels against the rules
// the API server applies. Prints "N valid" or one line per invalid
// object; exits 1 if any is.
"use strict";
const fs = require("fs");
const yaml = require("js-yaml");

const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
let bad = 0, n = 0;

function check(obj) {
	const [group, version] = obj.apiVersion.includes("/") ?
	    obj.apiVersion.split("/") : [null, obj.apiVersion];
	const mod = require("kubernetes-models/" + (group ? group + "/" : "") +
	    version + "/" + obj.kind);
	new mod[obj.kind](obj).validate();
	const name = obj.metadata.name;
	if (!label.test(name) || name.length > 63)
		throw new Error(`name '${name}' is not an RFC 1123 label`);
	for (const [k, v] of Object.entries(obj.metadata.labels || {})) {
		if (typeof v !== "string" || v.length > 63 || !labelValue.test(v))
			throw new Error(`label ${k}: bad value '${v}'`);
	}
}

for (const file of process.argv.slice(2)) {
	for (const obj of yaml.loadAll(fs.readFileSync(file, "utf8"))) {
		if (obj === null || obj === undefined)
			continue;
		try {
			check(obj);
			n++;
		} catch (e) {
			bad++;
			console.log(`${file}: ${obj.kind} ${obj.metadata &&
			    obj.metadata.name}: ${e.message}`);
		}
	}
}
console.log(`${n} valid`);
process.exit(bad > 0 || n === 0 ? 1 : 0);
