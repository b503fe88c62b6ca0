--[[
Issues' Word files, many in one pandoc run (publish/docx.py).

pandoc is started with an empty document and `-M bulletin-input=<file>`; the file is JSON:
  {"reference": "<reference.docx>", "docs": [{"doc": "<pandoc JSON>", "out": "<file.docx>"}, ...]}
Each document is written with pandoc's docx writer and the reference document (its styles, page,
grid and footers) to its file; the run itself prints nothing.
]]

function Pandoc(doc)
  local path = pandoc.utils.stringify(doc.meta["bulletin-input"])
  local file = assert(io.open(path, "rb"))
  local request = pandoc.json.decode(file:read("a"), false)
  file:close()
  local options = { reference_doc = request.reference }
  for _, item in ipairs(request.docs) do
    local bytes = pandoc.write(pandoc.read(item.doc, "json"), "docx", options)
    local out = assert(io.open(item.out, "wb"))
    out:write(bytes)
    out:close()
  end
  return pandoc.Pandoc({})
end
