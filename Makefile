# bulletin 信息报送台：两条命令
#   make site   安装所需的一切，构建站点到 site/
#   make test   安装所需的一切，运行全部测试
# 都在仓库根目录的 .venv/ 中安装 Python 依赖；系统软件缺失时，以 root 运行会用 apt-get 安装，否则提示要装什么。

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# command -> Debian package that provides it (site needs the first list, test both)
SITE_COMMANDS := git:git
TEST_COMMANDS := node:nodejs npm:npm chromium:chromium pdftoppm:poppler-utils
# fonts for the PDFs (Debian packages), checked by file
FONT_PACKAGES := /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc:fonts-noto-cjk /usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf:fonts-lxgw-wenkai

.PHONY: site test lint typecheck unit bench clean sysdeps sysdeps-test

site: $(VENV)/.installed
	$(BIN)/mkdocs build --strict --clean

test: $(VENV)/.installed node_modules/.installed lint typecheck unit

lint: $(VENV)/.installed
	$(BIN)/ruff check scripts tests bench
	$(BIN)/ruff format --check scripts tests bench

typecheck: $(VENV)/.installed
	$(BIN)/mypy

unit: $(VENV)/.installed node_modules/.installed
	$(BIN)/python -m pytest -q

bench: $(VENV)/.installed
	$(BIN)/python bench/check_bench.py

# install what is missing: as root with apt-get, otherwise say what to install
define install_missing
	@missing=""; for pair in $(1); do \
	  cmd=$${pair%%:*}; pkg=$${pair##*:}; \
	  command -v $$cmd >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "安装系统软件：$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "缺少系统软件：$$missing"; \
	    echo "请以 root 运行 make，或让管理员执行：apt-get install$$missing"; \
	    exit 1; \
	  fi; \
	fi
endef

sysdeps:
	$(call install_missing,$(SITE_COMMANDS))

sysdeps-test:
	$(call install_missing,$(TEST_COMMANDS))

$(VENV)/.installed: pyproject.toml | sysdeps
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "需要 Python 3.11 或更新版本（当前：$$($(PYTHON) --version)）"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json | sysdeps-test
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf site build .pytest_cache .mypy_cache .ruff_cache
