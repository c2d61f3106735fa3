module "web" {
  source = "./modules/web"

  name             = "${local.name_prefix}-web"
  security_headers = local.browser_policy.security_headers
}

module "auth" {
  source = "./modules/auth"

  name_prefix                 = local.name_prefix
  web_url                     = module.web.origin
  initial_user_email          = var.initial_user_email
  enable_deletion_protection  = var.enable_deletion_protection
  mfa                         = var.cognito_mfa
  threat_protection           = var.cognito_threat_protection
  refresh_token_validity_days = var.refresh_token_validity_days
}

module "storage" {
  source = "./modules/storage"

  name_prefix                     = local.name_prefix
  cors_allowed_origins            = concat([local.web_origin], var.extra_cors_origins)
  cors_allowed_methods            = local.browser_policy.storage_cors.allowed_methods
  cors_allowed_headers            = local.browser_policy.storage_cors.allowed_headers
  cors_expose_headers             = local.browser_policy.storage_cors.expose_headers
  cors_max_age_seconds            = local.browser_policy.storage_cors.max_age_seconds
  generated_image_expiration_days = var.generated_image_expiration_days
  user_image_expiration_days      = var.user_image_expiration_days
  force_destroy                   = var.force_destroy_bucket
}

module "database" {
  source = "./modules/database"

  name                       = "${local.name_prefix}-records"
  enable_deletion_protection = var.enable_deletion_protection
}

# The account's regional Lambda concurrency quota decides whether the job worker can be capped
# (Lambda refuses a reservation that leaves fewer than 100 unreserved executions).
data "aws_servicequotas_service_quota" "lambda_concurrency" {
  count = var.lambda_concurrency_quota == null && var.job_worker_max_concurrency != null ? 1 : 0

  service_code = "lambda"
  quota_code   = "L-B99A9384" # Concurrent executions
}

module "function" {
  source   = "./modules/function"
  for_each = local.functions

  name                 = local.function_names[each.key]
  description          = each.value.description
  package_path         = "${local.functions_dist_dir}/${each.key}.zip"
  timeout_seconds      = each.value.api ? var.api_function_timeout_seconds : var.job_worker_timeout_seconds
  memory_size_mb       = var.function_memory_mb
  environment          = local.function_environment[each.key]
  policy_json          = data.aws_iam_policy_document.function[each.key].json
  log_retention_days   = var.log_retention_days
  reserved_concurrency = local.reserved_concurrency[each.key]
  enable_xray          = var.enable_xray
}

# Failed jobs are not retried automatically: each retry would pay for the images again.
# The worker claims a job with a conditional update, so Lambda's async retries could never run it
# twice; they are off by default. An event older than the jobs function's queued limit (300 s)
# would find its job already reported as never started, so it is dropped instead of delivered.
resource "aws_lambda_function_event_invoke_config" "job_worker" {
  function_name                = module.function["job-worker"].function_name
  maximum_retry_attempts       = var.job_worker_retry_attempts
  maximum_event_age_in_seconds = 300
}

module "api" {
  source = "./modules/api"

  name                  = "${local.name_prefix}-api"
  openapi_template_path = local.openapi_template_path
  region                = var.region
  partition             = local.partition
  functions = {
    for key, fn in local.functions : key => {
      arn           = module.function[key].arn
      function_name = module.function[key].function_name
    } if fn.api
  }
  user_pool_arn                   = module.auth.user_pool_arn
  cors_origin                     = local.web_origin
  generate_auth                   = var.generate_auth
  stage_name                      = var.stage_name
  throttling_rate_limit           = var.api_throttling_rate_limit
  throttling_burst_limit          = var.api_throttling_burst_limit
  generate_throttling_rate_limit  = var.generate_throttling_rate_limit
  generate_throttling_burst_limit = var.generate_throttling_burst_limit
  api_key_quota_per_day           = var.api_key_quota_per_day
  log_retention_days              = var.log_retention_days
  enable_xray                     = var.enable_xray
  logging                         = var.api_gateway_logging
  waf_rate_limit_per_5_minutes    = var.waf_rate_limit_per_5_minutes
}

module "observability" {
  source = "./modules/observability"

  name_prefix = local.name_prefix
  region      = var.region
  functions = {
    for key, fn in local.functions : key => {
      function_name  = module.function[key].function_name
      log_group_name = module.function[key].log_group_name
      calls_bedrock  = fn.calls_bedrock
    }
  }
  api_name                 = module.api.name
  stage_name               = module.api.stage_name
  metrics_namespace        = var.metrics_namespace
  model_ids                = local.model_ids
  alarm_email              = var.alarm_email
  api_latency_threshold_ms = var.api_latency_alarm_threshold_ms
  monthly_budget_usd       = var.monthly_budget_usd
}

# Warnings (not errors) at plan and apply time, for what this configuration cannot fix by itself.
check "job_worker_concurrency_cap" {
  assert {
    condition     = var.job_worker_max_concurrency == null || local.reserved_concurrency["job-worker"] != null
    error_message = "The job worker runs without a concurrency cap: this account's Lambda concurrency quota in ${var.region} (${coalesce(local.lambda_concurrency_quota, "unknown")}) must leave 100 executions unreserved after this stack's reservations. Long jobs (up to 900 s) can then take the concurrency the API needs. Request a quota of 1000 for \"Concurrent executions\" (Service Quotas, AWS Lambda, L-B99A9384), then apply again."
  }
}
