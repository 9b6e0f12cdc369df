# lookup pkgs "a.b.c" is { found = true; value = pkgs.a.b.c; }, or
# { found = false; value = null; } when an attribute on the way is missing.
pkgs: path: builtins.foldl'
  (acc: name: if acc.found && builtins.isAttrs acc.value && acc.value ? ${name}
    then { found = true; value = acc.value.${name}; }
    else { found = false; value = null; })
  { found = true; value = pkgs; }
  (builtins.filter builtins.isString (builtins.split "\\." path))
