locals {
  name_prefix           = "${var.project}-${var.environment}"
  bedrock_region        = coalesce(var.bedrock_region, var.region)
  functions_dist_dir    = coalesce(var.functions_dist_dir, "${path.root}/../dist/functions")
  openapi_template_path = coalesce(var.openapi_template_path, "${path.root}/../shared/api/openapi.yaml")
  browser_policy_path   = "${path.root}/../shared/web/browser-policy.json"
  # Every function's environment, timeouts' defaults and kind (behind the API or not), shared with the local stack.
  function_definitions_path = "${path.root}/../shared/deployment/functions.json"
  # Where Bedrock serves each model, shared with the code that routes the calls (iam.tf).
  model_regions_path = "${path.root}/../shared/models/model-regions.json"

  # Account and partition come from a created resource's ARN (arn:<partition>:cognito-idp:<region>:<account>:userpool/<id>),
  # so plan needs no AWS call (no aws_caller_identity / aws_partition data sources).
  user_pool_arn_parts = split(":", module.auth.user_pool_arn)
  partition           = local.user_pool_arn_parts[1]
  account_id          = local.user_pool_arn_parts[4]

  # Every model id any function may send to Bedrock.
  model_ids = distinct(concat([var.default_model], var.allowed_models, values(var.edit_models)))

  # The SPA's origin feeds CORS everywhere (API preflights and errors, function responses, bucket).
  web_origin = module.web.origin

  # What browsers may do with the SPA (bucket CORS, the site's security headers), one file shared
  # with the local stack. The CSP names the bucket and Cognito exactly; the API only by its Region:
  # its id cannot be known here, because the API's CORS origin is the Amplify app's URL, so the app
  # cannot also wait for the API.
  dns_suffix = startswith(var.region, "cn-") ? "amazonaws.com.cn" : "amazonaws.com"
  browser_policy = jsondecode(templatefile(local.browser_policy_path, {
    api_origin     = "https://*.execute-api.${var.region}.${local.dns_suffix}"
    storage_origin = "https://${module.storage.bucket_name}.s3.${var.region}.${local.dns_suffix}"
    auth_origin    = "https://cognito-idp.${var.region}.${local.dns_suffix}"
  }))

  # One entry per folder of functions/: the key is the folder name, the zip name and the Lambda name
  # suffix. `api` functions sit behind API Gateway (29 s budget); job-worker runs asynchronously.
  # s3_* lists are key patterns under the bucket; dynamodb lists are the item actions the code uses.
  functions = {
    generate = {
      description    = "POST /generate: text-to-image from a JSON body (Lambda proxy)."
      api            = true
      calls_bedrock  = true
      s3_read        = ["generated/*", "users/*/generated/*"]
      s3_write       = ["generated/*", "users/*/generated/*"]
      s3_delete      = ["generated/*", "users/*/generated/*"]
      dynamodb_items = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
      query_by_user  = false
    }
    generate-query = {
      description    = "GET /generate?prompt=: text-to-image answered with a 302 to the image (non-proxy integration)."
      api            = true
      calls_bedrock  = true
      s3_read        = ["generated/*", "users/*/generated/*"]
      s3_write       = ["generated/*", "users/*/generated/*"]
      s3_delete      = ["generated/*", "users/*/generated/*"]
      dynamodb_items = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
      query_by_user  = false
    }
    models = {
      description    = "GET /models: the models this deployment accepts, with their fields, limits, lifecycle and Region."
      api            = true
      calls_bedrock  = false
      s3_read        = []
      s3_write       = []
      s3_delete      = []
      dynamodb_items = []
      query_by_user  = false
    }
    uploads = {
      description    = "POST /uploads: pre-signed S3 POST for one image upload by the signed-in user."
      api            = true
      calls_bedrock  = false
      s3_read        = []
      s3_write       = ["users/*/uploads/*"]
      s3_delete      = []
      dynamodb_items = []
      query_by_user  = false
    }
    edits = {
      description    = "POST /edits: inpaint, outpaint, erase, search-replace or remove-background an uploaded image."
      api            = true
      calls_bedrock  = true
      s3_read        = ["users/*"]
      s3_write       = ["users/*/edits/*"]
      s3_delete      = ["users/*/edits/*"]
      dynamodb_items = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
      query_by_user  = false
    }
    history = {
      description    = "GET /history and DELETE /history/{id}: the caller's records, newest first."
      api            = true
      calls_bedrock  = false
      s3_read        = ["users/*", "generated/*"]
      s3_write       = []
      s3_delete      = ["users/*"]
      dynamodb_items = ["dynamodb:GetItem", "dynamodb:DeleteItem"]
      query_by_user  = true
    }
    jobs = {
      description    = "POST /jobs and GET /jobs/{id}: start a long generation or edit asynchronously and poll it."
      api            = true
      calls_bedrock  = false
      s3_read        = ["users/*"]
      s3_write       = []
      s3_delete      = []
      dynamodb_items = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
      query_by_user  = false
    }
    job-worker = {
      description    = "Runs one job started by POST /jobs (invoked asynchronously by the jobs function)."
      api            = false
      calls_bedrock  = true
      s3_read        = ["users/*"]
      s3_write       = ["users/*/generated/*", "users/*/edits/*"]
      s3_delete      = ["users/*/generated/*", "users/*/edits/*"]
      dynamodb_items = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
      query_by_user  = false
    }
  }

  function_names = { for key in keys(local.functions) : key => "${local.name_prefix}-${key}" }

  # Reserved concurrency: what function_reserved_concurrency asks for, plus a cap on the 900 s job
  # worker (job_worker_max_concurrency) where the account's quota leaves Lambda its 100 unreserved
  # executions; a new account (often 10 in total) gets no cap rather than a failing apply.
  lambda_concurrency_quota = var.job_worker_max_concurrency == null ? null : coalesce(
    var.lambda_concurrency_quota,
    one(data.aws_servicequotas_service_quota.lambda_concurrency[*].value),
  )
  explicitly_reserved = sum(concat([0], values(var.function_reserved_concurrency)))
  job_worker_cap = (
    var.job_worker_max_concurrency != null && !contains(keys(var.function_reserved_concurrency), "job-worker")
    && try(local.lambda_concurrency_quota - local.explicitly_reserved - var.job_worker_max_concurrency >= 100, false)
  ) ? var.job_worker_max_concurrency : null
  reserved_concurrency = {
    for key in keys(local.functions) : key => (
      key == "job-worker" && local.job_worker_cap != null ? local.job_worker_cap : lookup(var.function_reserved_concurrency, key, null)
    )
  }

  # Built from known parts (not module.function["job-worker"].arn): one function instance may not
  # depend on another instance of the same module call.
  job_worker_arn = "arn:${local.partition}:lambda:${var.region}:${local.account_id}:function:${local.function_names["job-worker"]}"

  # Each function's environment comes from shared/deployment/functions.json, the one definition
  # the local stack (scripts/local/stack.ts) reads too, so both run the functions alike. Settings
  # are this deployment's values for the names the file refers to.
  function_definitions = jsondecode(file(local.function_definitions_path))

  common_settings = {
    bucket_name                = module.storage.bucket_name
    table_name                 = module.database.table_name
    url_expiry_seconds         = tostring(var.url_expiry_seconds)
    allowed_models             = join(",", var.allowed_models)
    default_model              = var.default_model
    edit_models                = jsonencode(var.edit_models)
    bedrock_region             = local.bedrock_region
    cors_origin                = local.web_origin
    log_prompts                = tostring(var.log_prompts)
    max_upload_bytes           = tostring(var.max_upload_bytes)
    metrics_namespace          = var.metrics_namespace
    job_worker_function_name   = local.function_names["job-worker"]
    job_worker_timeout_seconds = tostring(var.job_worker_timeout_seconds)
  }

  function_environment = {
    for key, definition in local.function_definitions.functions : key => {
      for name, source in merge(local.function_definitions.environment, definition.environment) :
      name => try(source.value, merge(local.common_settings, {
        function_key       = key
        bedrock_timeout_ms = tostring(definition.api ? var.api_bedrock_timeout_ms : var.job_worker_bedrock_timeout_ms)
      })[source.setting])
    }
  }
}
