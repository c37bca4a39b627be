#!/usr/bin/env bash
# Submits a symlab sweep as a Slurm job array of N shards plus a merge job that starts when every
# shard has finished (--dependency=afterok). Prints the two job ids.
#
#   deploy/slurm/submit.sh --shards 4 --out /shared/sweeps/xor [--sbatch "--partition=cpu --time=1:00:00"] \
#       -- --data xor:n=4,noise=0 --layers 2,1 --activation tanh --optimizer gd --lr 0.5 --epochs 2000 --seeds 1..1000000
#
# OUT must be a folder every node sees (a shared file system). The summary ends in OUT/merged.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
shards=""; out=""; extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --shards) shards="$2"; shift 2;;
    --out) out="$2"; shift 2;;
    --sbatch) read -r -a extra <<< "$2"; shift 2;;
    --) shift; break;;
    *) echo "submit.sh: unknown option $1 (sweep flags go after --)" >&2; exit 2;;
  esac
done
[[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "submit.sh: --shards N (a positive number) is required" >&2; exit 2; }
[[ -n $out ]] || { echo "submit.sh: --out DIR (on a shared file system) is required" >&2; exit 2; }
mkdir -p "$out"
out="$(cd "$out" && pwd)"
array=$(sbatch --parsable "${extra[@]}" --array="0-$((shards - 1))" --output="$out/slurm-%A_%a.out" "$here/sweep-array.sbatch" "$out" "$@")
array=${array%%;*}
merge=$(sbatch --parsable "${extra[@]}" --dependency="afterok:$array" --output="$out/slurm-%j.out" "$here/merge.sbatch" "$out")
merge=${merge%%;*}
echo "array $array"
echo "merge $merge"
