#!/usr/bin/env bash
# Writes Strimzi's KafkaTopic and KafkaUser CustomResourceDefinitions, generated from Strimzi's
# published API model by its own CRD generator (both from Maven Central, see pom.xml), and prints
# the folder that holds them. Cached in <repo>/.cache/strimzi/<version>; needs Java and Maven.
#   infra/k8s/strimzi-schemas/schemas.sh   ->  .cache/strimzi/0.45.0/crds
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
version="$(sed -n 's:.*<strimzi.version>\(.*\)</strimzi.version>.*:\1:p' "$here/pom.xml")"
home="$root/.cache/strimzi/$version"
libs="$home/libs"
crds="$home/crds"

if [ ! -f "$crds/.complete" ]; then
  if [ ! -f "$libs/.complete" ]; then
    rm -rf "$libs" && mkdir -p "$libs"
    mvn -q -B -Dstyle.color=never -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$libs" >&2
    touch "$libs/.complete"
  fi
  rm -rf "$crds" && mkdir -p "$crds"
  # The arguments of Strimzi's build for these two CRDs (api/pom.xml, generate-crd-co-install-v1-eo).
  java -cp "$libs/*" io.strimzi.crdgenerator.CrdGenerator \
    --label app:strimzi --label strimzi.io/crd-install:true --target-kube 1.16+ \
    --crd-api-version v1 --api-versions v1alpha1,v1beta1,v1beta2 --storage-version v1beta2 \
    --yaml \
    "io.strimzi.api.kafka.model.topic.KafkaTopic=$crds/kafkatopics.yaml" \
    "io.strimzi.api.kafka.model.user.KafkaUser=$crds/kafkausers.yaml" 2>/dev/null
  touch "$crds/.complete"
fi
echo "$crds"
