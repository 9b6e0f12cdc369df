# The universe's systems: systems.json, which regen.sh writes from nixlayer's
# platform table, nix/platforms.json (see regen.sh).
if builtins.pathExists ./systems.json
then builtins.fromJSON (builtins.readFile ./systems.json)
else throw "the nixlayer test universe has no systems.json: run testdata/universe/regen.sh"
