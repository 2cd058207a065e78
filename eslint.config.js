import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "data/",
      "coverage/",
      "tmp/",
      "**/tmp/",
      ".scratch*/",
      "dist/",
      "src/client/api.ts",
      "reports/",
      ".stryker-tmp/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
      // Prettier wraps code at 120 but not comments, strings or SQL; test titles stay one string so a failing
      // test's name can be grepped.
      "max-len": [
        "error",
        {
          code: 120,
          ignoreUrls: true,
          ignoreRegExpLiterals: true,
          ignorePattern: String.raw`^\s*(test|it|describe)(\.\w+)?\(\s*"[^"]*",`,
        },
      ],
    },
  },
  {
    // Pending: being reworked (issue 10 §3); remove this block once their lines are wrapped too.
    files: ["src/dispatch/**", "bench/**"],
    rules: { "max-len": "off" },
  },
  {
    files: ["src/demo/**", "src/**/*-cli.ts", "src/sim/main.ts", "bench/**", "test/**"],
    rules: { "no-console": "off" },
  },
);
