#!/usr/bin/env bash
# Fine-tuning against training from scratch, measured on two synthetic tasks.
#
#   reference/finetune_transfer.sh [work folder]      (default: runs/transfer)
#
# 1. A ResNet-18 (torchvision's, at 64x64 input: FineTuneSpecs.ResNet18Shapes) is trained on the
#    ten synthetic shapes.
# 2. Its best checkpoint is written as a PyTorch state dict in torchvision's names and layout
#    (reference/checkpoint_to_torchvision.py).
# 3. A ResNet-18 for the three shape families (ResNet18Families, ShapeFamilies: new images, drawn
#    from another seed) is trained for one epoch twice with the same settings: once started from
#    that state dict (--init ... --rules resnet18, its 10-class classifier replaced by one for 3),
#    once from the seed's random weights.
# Both validation accuracies are printed last. The networks and the families come from the test
# classes, given to ./netspec with --classpath as a project's own classes are.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$root/runs/transfer}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
cd "$root"
mvn -B -q -Dstyle.color=never package -DskipTests >&2   # the jar, and the test classes with the specs
classes=examples/target/test-classes
specs=dev.netspec.examples.finetune
netspec() { ./netspec --classpath "$classes" "$@"; }

rm -rf "$work/shapes" "$work/finetuned" "$work/scratch" "$work/families"
java -cp "examples/target/netspec.jar:$classes" "$specs.ShapeFamilies" "$work/families" 7 \
  "${FAMILY_TRAIN:-1500}" "${FAMILY_VAL:-600}"

netspec train --network "$specs.ResNet18Shapes" --train-images "${SHAPES_TRAIN:-6000}" \
  --val-images 600 --epochs "${SHAPES_EPOCHS:-2}" --batch 64 --no-progress --out "$work/shapes"
python3 reference/checkpoint_to_torchvision.py "$work/shapes/best.safetensors" \
  "$work/resnet18-shapes.safetensors"

tune=(train --network "$specs.ResNet18Families" --data folder --data-dir "$work/families"
  --epochs 1 --batch 32 --warmup 0 --lr 0.02 --no-progress)
netspec "${tune[@]}" --init "$work/resnet18-shapes.safetensors" --rules resnet18 \
  --out "$work/finetuned" | tee "$work/finetuned.log"
netspec "${tune[@]}" --out "$work/scratch" | tee "$work/scratch.log"

echo "from the state dict: $(tail -n 1 "$work/finetuned.log")"
echo "from scratch:        $(tail -n 1 "$work/scratch.log")"
