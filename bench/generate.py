"""Deterministic generator of realistic items for benchmarks (a seed gives the same desk)."""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]

_OPENINGS = ["今年以来，", "近日，", "11月以来，", "为深入贯彻市委部署，", "针对群众反映的突出问题，"]
_ACTIONS = [
    "坚持项目为王，强化要素保障，推动重点项目建设提速增效",
    "聚焦长江大保护，扎实开展沿江岸线整治和入河排污口排查",
    "深化“放管服”改革，推行“一窗受理、集成服务”",
    "紧扣乡村振兴，发展特色产业，带动农民增收",
    "压实安全生产责任，开展重点行业领域隐患排查整治",
    "创新基层治理方式，推动矛盾纠纷就地化解",
]
_DETAILS = [
    "一是强化调度，县领导挂点联系，每月召开推进会，现场解决用地、用工等难题。",
    "二是优化服务，审批时间平均压缩{p}%以上，企业满意度明显提升。",
    "三是压实责任，把工作进度纳入乡镇和部门年度考核，实行“月调度、季通报”。",
    "截至目前，已完成投资{n}亿元，同比增长{p}%，带动就业{j}人。",
    "下一步，将继续加大工作力度，确保完成全年目标任务。",
]
_SUBJECTS = ["项目建设", "招商引资", "长江大保护", "乡村振兴", "安全生产", "营商环境", "基层党建"]


def _body(rng: random.Random, unit_name: str) -> str:
    text = rng.choice(_OPENINGS) + unit_name + rng.choice(_ACTIONS) + "。"
    for detail in _DETAILS[: rng.randint(3, 5)]:
        text += detail.format(p=rng.randint(10, 60), n=rng.randint(2, 90), j=rng.randint(100, 3000))
    return text


def generate(target: Path, count: int, seed: int = 2026) -> list[Path]:
    """A desk at `target` with the demo configuration and `count` passing items."""
    rng = random.Random(seed)
    target.mkdir(parents=True, exist_ok=True)
    for name in ("bulletin.yml", "network.yml"):
        shutil.copy(REPO / name, target / name)
    units = [u for u in yaml.safe_load((REPO / "network.yml").read_text(encoding="utf-8"))["units"] if u["informants"]]
    paths = []
    for i in range(count):
        unit = units[i % len(units)]
        month, day = 1 + (i // 400) % 12, 1 + (i // 13) % 28
        folder = target / "submissions" / unit["id"] / "2026"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{month:02d}{day:02d}-{i:05d}.md"
        subject = rng.choice(_SUBJECTS)
        path.write_text(
            "---\n"
            f"标题: {unit['name']}{subject}工作取得新进展\n"
            f"报送单位: {unit['id']}\n"
            f"信息员: {unit['informants'][0]['name']}\n"
            f"签发人: {unit['leader']}\n"
            "类别: 普遍性\n紧急程度: 平件\n密级: 内部\n"
            "报送对象: [市委, 市政府]\n"
            f"主题: [{subject}]\n"
            "---\n\n" + _body(rng, unit["name"]) + "\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description="生成基准测试用的报送台")
    parser.add_argument("target", type=Path)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    print(f"已生成 {len(generate(args.target, args.items, args.seed))} 条信息于 {args.target}")


if __name__ == "__main__":
    main()
