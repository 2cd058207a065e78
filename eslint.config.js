import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";

export default tseslint.config(
  { ignores: ["node_modules/", "data/", "coverage/", "tmp/", "bench/tmp/", "dist/", "src/client/api.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    files: ["src/demo/**", "src/**/*-cli.ts", "src/sim/main.ts", "bench/**", "test/**"],
    rules: { "no-console": "off" },
  },
);
