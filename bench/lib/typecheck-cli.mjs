import { typecheck } from "./typecheck.mjs";
process.stdout.write(JSON.stringify(typecheck(process.argv.includes("--quick") ? 1 : 2, process.argv.includes("--quick"))));
