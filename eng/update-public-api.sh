#!/usr/bin/env bash
# Adds every symbol that RS0016 reports as undeclared to the project's PublicAPI.Unshipped.txt,
# and removes the ones RS0017 reports as gone. Usage: eng/update-public-api.sh src/Webhooks.Core
set -euo pipefail
proj_dir="${1:?project directory}"
proj="$(ls "$proj_dir"/*.csproj)"
for round in 1 2 3; do
  out="$(dotnet build "$proj" -c Debug -p:TreatWarningsAsErrors=false 2>&1 || true)"
  added="$(printf '%s\n' "$out" | grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared public API)" | sort -u || true)"
  removed="$(printf '%s\n' "$out" | grep -oP "RS0017: Symbol '\K.*(?=' is part of the declared API, but is either not public or could not be found)" | sort -u || true)"
  [ -z "$added" ] && [ -z "$removed" ] && break
  file="$proj_dir/PublicAPI.Unshipped.txt"
  if [ -n "$added" ]; then printf '%s\n' "$added" >> "$file"; fi
  if [ -n "$removed" ]; then
    while IFS= read -r line; do grep -vxF -- "$line" "$file" > "$file.tmp" || true; mv "$file.tmp" "$file"; done <<< "$removed"
  fi
  { head -n1 "$file"; tail -n +2 "$file" | sort -u; } > "$file.tmp" && mv "$file.tmp" "$file"
done
echo "updated $proj_dir/PublicAPI.Unshipped.txt ($(($(wc -l < "$proj_dir/PublicAPI.Unshipped.txt") - 1)) symbols)"
