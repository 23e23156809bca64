#!/usr/bin/env bash
# Nightly kreplay on Dataflow, scheduled by Cloud Scheduler. Not run here (no Google Cloud
# project): the commands are the documented gcloud ones; the Dataflow job graph itself is
# checked offline by runners-config/dataflow's DataflowTranslationTest.
#
# Why not a bare (flex) template: `kreplay nightly` must wait for the replay to end, then
# compare and move the baseline, and the shared start instant is fixed at launch. So the
# scheduled thing is the launcher: a Cloud Run job running the kreplay image (built with
# RUNNER=dataflow), which submits the streaming replay to Dataflow, waits, and compares.
set -euo pipefail
PROJECT=${PROJECT:?set PROJECT}
REGION=${REGION:-europe-west1}
BUCKET=${BUCKET:?set BUCKET (gs:// bucket for plans, reports, staging)}
IMAGE=${IMAGE:-$REGION-docker.pkg.dev/$PROJECT/kreplay/kreplay-dataflow:0.1.0}
SA=${SA:-kreplay@$PROJECT.iam.gserviceaccount.com}   # roles/dataflow.admin, roles/dataflow.worker, storage on BUCKET
KUBECONFIG_SECRET=${KUBECONFIG_SECRET:-kreplay-kubeconfig}  # Secret Manager: kubeconfig of the staging cluster

# 1. The launcher job (Cloud Run job; the kubeconfig is mounted from Secret Manager).
gcloud run jobs create kreplay-nightly \
  --project="$PROJECT" --region="$REGION" --image="$IMAGE" \
  --service-account="$SA" --task-timeout=6h --max-retries=0 --memory=4Gi --cpu=2 \
  --set-secrets="/secrets/kubeconfig=$KUBECONFIG_SECRET:latest" \
  --args="nightly,--profile=gs://$BUCKET/profiles/staging-day.yaml.gz,--reports=gs://$BUCKET/nightly,\
--kubeconfig=/secrets/kubeconfig,--runner=DataflowRunner,--project=$PROJECT,--region=$REGION,\
--streaming=true,--enableStreamingEngine=true,--numWorkers=4,--maxNumWorkers=4,--autoscalingAlgorithm=NONE,\
--gcpTempLocation=gs://$BUCKET/tmp,--stagingLocation=gs://$BUCKET/staging,--warmupSeconds=240,\
--max-p99-increase=10%,--max-error-rate=1%"

# 2. Run it every night at 02:00 UTC.
gcloud scheduler jobs create http kreplay-nightly \
  --project="$PROJECT" --location="$REGION" --schedule="0 2 * * *" --time-zone="Etc/UTC" \
  --http-method=POST \
  --uri="https://run.googleapis.com/v2/projects/$PROJECT/locations/$REGION/jobs/kreplay-nightly:run" \
  --oauth-service-account-email="$SA"
