import { typecheck } from "./typecheck.mjs";
process.stdout.write(JSON.stringify(typecheck(1, process.argv.includes("--quick"))));
