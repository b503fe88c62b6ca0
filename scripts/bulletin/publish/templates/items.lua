--[[
Markdown item texts -> Typst markup, many items in one pandoc run.

pandoc is started with an empty document and `-M bulletin-input=<file>`; the file is JSON:
  {"format": "markdown-citations-...", "target": "typst", "token": "BULLETINSPLIT…",
   "items": [{"text": "...", "credit": "修水县", "alone": false}, ...]}
The filter reads the texts with that format (so `@name` and `$` stay plain text), applies the
bulletin conventions and writes all items as Typst markup in one raw block, which the typst
writer prints verbatim: the items are separated by lines `// <token>`.
With "target": "docx" (the Word file) the same conventions become the reference document's
styles (custom-style: 黑体字, 楷体字, 来源单位) and each item is written as pandoc JSON instead.

Conventions (GB/T 9704-2012):
  a paragraph starting "一、" -> its first sentence (or the whole line) in 黑体: #hei[...]
  a paragraph starting "（一）" -> its first sentence in 楷体: #kai[...]
  a Markdown heading inside an item -> a paragraph in 黑体 (level 3) or 楷体 (level 4 and deeper)
  an image -> its description (bulletins are printed text)
  a link to an anchor (#read) or to nothing -> its text: Typst would look for a label no item has,
  or refuse an empty URL
  a line break inside a paragraph -> nothing next to Chinese text (no stray space)
  the reporting units' credit -> at the end of the last paragraph, on a line of its own, right:
  #credit[修水县] (or #credit-line[...] when the item ends with a list or table)
]]

local LEVEL1 = "^[一二三四五六七八九十百]+、"
local TARGET = "typst" -- or "docx", from the request
-- the Word file's styles (publish/docx.py defines them in its reference document)
local WORD_STYLE = { hei = "黑体字", kai = "楷体字", credit = "来源单位" }
local LEVEL2 = "^（[一二三四五六七八九十百]+）"
local STOPS = { "。", "！", "？" }

local function raw(text)
  return pandoc.RawInline("typst", text)
end

local function wrap(fn, inlines)
  if TARGET == "docx" then
    return pandoc.Inlines({ pandoc.Span(inlines, { ["custom-style"] = WORD_STYLE[fn] }) })
  end
  local out = pandoc.Inlines({ raw("#" .. fn .. "[") })
  out:extend(inlines)
  out:insert(raw("];"))
  return out
end

-- the byte position just after the first sentence stop in s, or nil
local function stop_in(s)
  local best
  for _, stop in ipairs(STOPS) do
    local i = s:find(stop, 1, true)
    if i and (not best or i < best) then
      best = i + #stop - 1
    end
  end
  return best
end

-- split inlines after the first sentence stop: head, rest (rest may be empty)
local function first_sentence(inlines)
  local head, rest = pandoc.Inlines({}), pandoc.Inlines({})
  local done = false
  for _, el in ipairs(inlines) do
    if done then
      rest:insert(el)
    elseif el.t == "Str" then
      local cut = stop_in(el.text)
      if cut then
        head:insert(pandoc.Str(el.text:sub(1, cut)))
        if cut < #el.text then
          rest:insert(pandoc.Str(el.text:sub(cut + 1)))
        end
        done = true
      else
        head:insert(el)
      end
    else
      head:insert(el)
    end
  end
  return head, rest
end

local function styled_heading(para)
  local text = pandoc.utils.stringify(para)
  local fn
  if text:find(LEVEL1) then
    fn = "hei"
  elseif text:find(LEVEL2) then
    fn = "kai"
  else
    return nil
  end
  local head, rest = first_sentence(para.content)
  local inlines = wrap(fn, head)
  inlines:extend(rest)
  return pandoc.Para(inlines)
end

-- a line break inside a paragraph: nothing next to Chinese text, a space between Latin words
local function join_lines(inlines)
  local out = pandoc.Inlines({})
  for i, el in ipairs(inlines) do
    if el.t == "SoftBreak" then
      local before, after = inlines[i - 1], inlines[i + 1]
      local latin = before and before.t == "Str" and before.text:byte(-1) < 0x80
        and after and after.t == "Str" and after.text:byte(1) < 0x80
      if latin then
        out:insert(pandoc.Space())
      end
    else
      out:insert(el)
    end
  end
  return out
end

local filter = {
  Inlines = join_lines,
  Image = function(img)
    return img.caption
  end,
  Link = function(link)
    if link.target == "" or link.target:sub(1, 1) == "#" then
      return link.content
    end
  end,
  Header = function(h)
    return pandoc.Para(wrap(h.level <= 3 and "hei" or "kai", h.content))
  end,
  Para = styled_heading,
}
-- in the Word file bold and italic are 黑体 and 楷体, as the PDF's template shows them
local word_filter = {
  Strong = function(el)
    return wrap("hei", el.content)
  end,
  Emph = function(el)
    return wrap("kai", el.content)
  end,
}

-- the item's blocks with the conventions applied and the credit at the end
local function finish(blocks, credit)
  local doc = pandoc.Pandoc(blocks):walk(filter)
  if TARGET == "docx" then
    doc = doc:walk(word_filter)
    if credit and credit ~= "" then -- on a line of its own, right: a paragraph of its own
      local line = pandoc.Para({ pandoc.Str("（" .. credit .. "）") })
      doc.blocks:insert(pandoc.Div({ line }, { ["custom-style"] = WORD_STYLE.credit }))
    end
    return doc.blocks
  end
  if credit and credit ~= "" then
    local last = doc.blocks[#doc.blocks]
    local in_para = last and (last.t == "Para" or last.t == "Plain")
    local mark = pandoc.Inlines({ raw(in_para and "#credit[" or "#credit-line[") })
    mark:insert(pandoc.Str(credit))
    mark:insert(raw("];"))
    if in_para then
      last.content:extend(mark)
    else
      doc.blocks:insert(pandoc.Para(mark))
    end
  end
  return doc.blocks
end

local function is_token(block, token)
  return block.t == "Para" and #block.content == 1 and block.content[1].t == "Str" and block.content[1].text == token
end

-- Each pandoc.read costs about 2 ms whatever its size, so the items that cannot reach into each
-- other (Python marks the rest `alone`: fences, footnotes, link definitions) are read as one
-- text, cut apart at a paragraph holding only the random token; if the cut does not give back
-- as many parts as went in, every item is read on its own.
local function read_all(request)
  local items, format, token = request.items, request.format, request.token
  local blocks_of, together, texts = {}, {}, {}
  for i, item in ipairs(items) do
    if not item.alone then
      together[#together + 1] = i
      texts[#texts + 1] = item.text
    end
  end
  if #texts > 0 then
    local doc = pandoc.read(table.concat(texts, "\n\n" .. token .. "\n\n"), format)
    local parts = { pandoc.Blocks({}) }
    for _, block in ipairs(doc.blocks) do
      if is_token(block, token) then
        parts[#parts + 1] = pandoc.Blocks({})
      else
        parts[#parts]:insert(block)
      end
    end
    if #parts == #texts then
      for k, i in ipairs(together) do
        blocks_of[i] = parts[k]
      end
    end
  end
  for i, item in ipairs(items) do
    if not blocks_of[i] then
      blocks_of[i] = pandoc.read(item.text, format).blocks
    end
  end
  return blocks_of
end

function Pandoc(doc)
  local path = pandoc.utils.stringify(doc.meta["bulletin-input"])
  local file = assert(io.open(path, "rb"))
  local request = pandoc.json.decode(file:read("a"), false)
  file:close()
  TARGET = request.target or "typst"
  local blocks_of = read_all(request)
  -- one writer run for all items, cut apart again in Python at the token lines
  local out = pandoc.Blocks({})
  for i, item in ipairs(request.items) do
    if i > 1 then
      out:insert(pandoc.RawBlock("typst", "// " .. request.token))
    end
    if TARGET == "docx" then -- each item's blocks as pandoc JSON, on one line
      out:insert(pandoc.RawBlock("typst", pandoc.write(pandoc.Pandoc(finish(blocks_of[i], item.credit)), "json")))
    else
      out:extend(finish(blocks_of[i], item.credit))
    end
  end
  if TARGET == "docx" then
    return pandoc.Pandoc(out)
  end
  return pandoc.Pandoc({ pandoc.RawBlock("typst", pandoc.write(pandoc.Pandoc(out), "typst", { wrap_text = "none" })) })
end
