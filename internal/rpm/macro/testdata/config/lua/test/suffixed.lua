-- getsuffixed as Fedora's lua/fedora/common.lua (redhat-rpm-config) has it.
local function getsuffixed(rpmvar)
  local suffixes = {}
  for suffix=0,9999 do
    local value = rpm.expand("%{?" .. rpmvar .. suffix .. "}")
    if (value ~= "") then
      suffixes[tostring(suffix)] = value
    end
  end
  return suffixes
end

return { getsuffixed = getsuffixed }
