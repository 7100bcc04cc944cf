// Build the CSS and copy the JavaScript that Django serves from frontend/build/.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "frontend/build/townhall";
mkdirSync(out, { recursive: true });
const css = sass.compile("frontend/src/townhall.scss", {
  loadPaths: ["node_modules/govuk-frontend/dist"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "slash-div", "color-functions", "if-function"],
});
writeFileSync(`${out}/townhall.css`, css.css);
cpSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk-frontend.min.js`);
cpSync("node_modules/htmx.org/dist/htmx.min.js", `${out}/htmx.min.js`);
// GOV.UK's fonts, crown and favicons are its own brand and are deliberately not copied.
cpSync("frontend/src/favicon.svg", `${out}/favicon.svg`);
cpSync("frontend/src/townhall.js", `${out}/townhall.js`);
console.log(`Built ${out}`);
