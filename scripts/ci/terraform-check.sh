#!/usr/bin/env bash
# Proves the Terraform configuration offline (issue 8): fmt, init, validate, `terraform test` with a
# mocked provider, a real `terraform plan -var-file=dev.tfvars` from terraform/ (the user's own
# command) with fake credentials, and the static checker tfcheck. Needs no AWS account and no network when the provider mirror exists.
#
# Usage (from anywhere):  scripts/ci/terraform-check.sh
# Environment:
#   SHARED_DIR     folder holding tools/tfcheck, relative to the repo root (default ../shared)
#   TF_PLUGIN_DIR  offline provider mirror for `terraform init -plugin-dir` (default /opt/tf-plugins;
#                  when missing, init downloads hashicorp/aws from the registry)
# Exit status: 0 when every check passed, non-zero on the first failure.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"

SHARED_DIR="${SHARED_DIR:-../shared}"
TF_PLUGIN_DIR="${TF_PLUGIN_DIR:-/opt/tf-plugins}"
tfcheck="$SHARED_DIR/tools/tfcheck/tfcheck"

section() { printf '\n==== terraform-check: %s ====\n' "$*"; }
fail() {
  printf '\nterraform-check: FAILED: %s\n' "$*" >&2
  exit 1
}

# Known-wrong tfcheck findings, each with its reason (blank lines and # comments skipped).
false_positives_file="scripts/ci/tfcheck-false-positives.txt"

run_tfcheck() {
  section "tfcheck (static check against the AWS provider schema)"
  local output status=0
  output="$("$tfcheck" terraform --var-file dev.tfvars 2>&1)" || status=$?
  printf '%s\n' "$output"
  [ "$status" -le 1 ] || fail "tfcheck could not run (exit status $status)"
  local findings expected unexpected stale
  findings="$(printf '%s\n' "$output" | grep -E '^[^ ]+:[^ ]+: ' | grep -v '^tfcheck:' | sort -u || true)"
  # tfcheck exits 1 with findings that this function then reads itself; a finding the pattern above
  # missed must still fail the check.
  [ "$status" -eq 0 ] || [ -n "$findings" ] || fail "tfcheck failed without a finding this script recognises"
  expected="$(grep -vE '^(#|$)' "$false_positives_file" | sort -u || true)"
  unexpected="$(comm -23 <(printf '%s\n' "$findings") <(printf '%s\n' "$expected") | grep -v '^$' || true)"
  stale="$(comm -13 <(printf '%s\n' "$findings") <(printf '%s\n' "$expected") | grep -v '^$' || true)"
  [ -z "$unexpected" ] || fail "tfcheck reported findings:
$unexpected"
  [ -z "$stale" ] || fail "listed in $false_positives_file but no longer reported (delete these lines):
$stale"
  [ -z "$findings" ] || echo "(only the known false positives listed in $false_positives_file)"
}

if ! command -v terraform >/dev/null 2>&1; then
  section "terraform CLI not found"
  [ -f "$tfcheck" ] || fail "neither terraform nor $tfcheck is available, so nothing was checked"
  echo "Terraform is not installed here: running only the static check (tfcheck). fmt, validate,"
  echo "terraform test and the offline plan did NOT run."
  run_tfcheck
  section "OK (static check only)"
  exit 0
fi

export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
# A TF_CLI_CONFIG_FILE that names a missing file only produces warnings; ignore it.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -e "$TF_CLI_CONFIG_FILE" ]; then
  export TF_CLI_CONFIG_FILE=/dev/null
fi
terraform version

# The user runs `terraform apply -var-file=dev.tfvars` inside terraform/, and the repository root keeps
# dev.tfvars too: terraform/dev.tfvars must be a link to it, never a second copy that drifts.
section "terraform/dev.tfvars is the top-level dev.tfvars"
[ -f dev.tfvars ] || fail "dev.tfvars is missing at the repository root"
[ -L terraform/dev.tfvars ] && [ "$(readlink terraform/dev.tfvars)" = "../dev.tfvars" ] \
  || fail "terraform/dev.tfvars must be a symbolic link to ../dev.tfvars (run: ln -sfn ../dev.tfvars terraform/dev.tfvars)"
echo "terraform/dev.tfvars -> ../dev.tfvars"

section "terraform fmt -check -recursive"
terraform fmt -check -recursive -diff terraform || fail "run: terraform fmt -recursive terraform"
terraform fmt -check -diff dev.tfvars || fail "run: terraform fmt dev.tfvars"

# Everything else runs on a copy, so the check never touches the user's terraform/.terraform, lock
# file or state, and its fake-credential override never sits in the real tree. The copy keeps the
# layout that relative paths expect: ../shared/api/openapi.yaml, ../dist/functions, and ../dev.tfvars
# (where the copied terraform/dev.tfvars link points).
work="$(mktemp -d "${TMPDIR:-/tmp}/terraform-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/terraform"
tar -C terraform \
  --exclude=.terraform --exclude=.terraform.lock.hcl --exclude='*.tfstate' --exclude='*.tfstate.*' \
  --exclude='*.tfplan' --exclude=ci_override.tf -cf - . | tar -C "$work/terraform" -xf -
ln -s "$repo_root/shared" "$work/shared"
cp dev.tfvars "$work/dev.tfvars"

section "terraform init -backend=false"
if [ -d "$TF_PLUGIN_DIR" ]; then
  terraform -chdir="$work/terraform" init -backend=false -input=false -no-color -plugin-dir="$TF_PLUGIN_DIR" \
    || fail "terraform init with the offline provider mirror $TF_PLUGIN_DIR"
else
  echo "No provider mirror at $TF_PLUGIN_DIR: installing hashicorp/aws from the registry."
  terraform -chdir="$work/terraform" init -backend=false -input=false -no-color || fail "terraform init"
fi

section "terraform validate"
terraform -chdir="$work/terraform" validate -no-color || fail "terraform validate"

section "terraform test (mock_provider, no credentials)"
terraform -chdir="$work/terraform" test -no-color || fail "terraform test"

section "deployment packages (dist/functions/*.zip)"
missing=()
for dir in functions/*/; do
  [ -d "$dir" ] || continue
  name="$(basename "$dir")"
  [ -f "dist/functions/$name.zip" ] || missing+=("$name")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Missing zips for: ${missing[*]}; running npm run build."
  npm run build || fail "npm run build failed, so the plan has no deployment packages (dist/functions/<name>.zip)"
else
  echo "Using the existing zips in dist/functions (run npm run build to refresh them)."
fi
ln -s "$repo_root/dist" "$work/dist"

section "terraform plan -var-file=dev.tfvars (offline, fake credentials)"
# Static fake credentials and the provider's skip flags: planning new resources makes no AWS call.
cat >"$work/terraform/ci_override.tf" <<'HCL'
provider "aws" {
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "offline-plan-only"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
HCL
plan_log="$work/plan.log"
if ! env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE -u AWS_SESSION_TOKEN \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \
  terraform -chdir="$work/terraform" plan -input=false -lock=false -refresh=false -no-color \
  -var-file=dev.tfvars -var=lambda_concurrency_quota=1000 >"$plan_log" 2>&1; then
  cat "$plan_log"
  fail "terraform plan -var-file=dev.tfvars"
fi
# lambda_concurrency_quota: a real plan reads it from Service Quotas, which needs AWS; 1000 is
# Lambda's default quota (terraform/tests/stack.tftest.hcl covers the lookup with a mock).
grep -E '^(Plan:|Warning:)' "$plan_log" || fail "terraform plan printed no plan summary"

if [ -f "$tfcheck" ]; then
  run_tfcheck
else
  section "tfcheck skipped ($tfcheck not found)"
fi

section "OK"
