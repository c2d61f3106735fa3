##################################################################
# Naming and placement
##################################################################

variable "project" {
  type        = string
  description = "Project name; starts every resource name (<project>-<environment>-...)."
  default     = "imagegen"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}$", var.project))
    error_message = "project must be 2-15 lowercase letters, digits or dashes, starting with a letter (S3 bucket and IAM role names limit the total length)."
  }
}

variable "environment" {
  type        = string
  description = "Environment name, e.g. dev or prod; second part of every resource name and a default tag."
  default     = "dev"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{0,9}$", var.environment))
    error_message = "environment must be 1-10 lowercase letters or digits, starting with a letter."
  }
}

variable "region" {
  type        = string
  description = "AWS region for the whole stack. Any Bedrock Region works: each model is called in a Region that serves it (shared/models/model-regions.json)."
  default     = "us-west-2"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region code such as us-west-2."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags for every resource, merged over Project, Environment and ManagedBy."
  default     = {}
}

##################################################################
# Models
##################################################################

variable "bedrock_region" {
  type        = string
  description = "The stack's Bedrock Region (BEDROCK_REGION): models served there are called there, the others in their own Region (shared/models/model-regions.json). null uses region."
  default     = null

  validation {
    condition     = var.bedrock_region == null || can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.bedrock_region))
    error_message = "bedrock_region must be null or an AWS region code such as us-west-2."
  }
}

variable "default_model" {
  type        = string
  description = "Bedrock model id used for text-to-image when a request names none (DEFAULT_MODEL). Must be one of allowed_models."
  default     = "stability.stable-image-core-v1:1"

  validation {
    condition     = contains(var.allowed_models, var.default_model)
    error_message = "default_model must be one of allowed_models."
  }
}

variable "allowed_models" {
  type        = list(string)
  description = "Bedrock model ids and cross-region inference-profile ids (us., eu., apac., global. prefixes) that requests may name (ALLOWED_MODELS). The functions' IAM policy allows exactly these, plus edit_models. amazon.nova-canvas-v1:0 (end of life 2026-09-30) and SDXL (stability.stable-diffusion-xl-v1, end of life 2025-05-20) stay usable for the seeds' bodies where an account still has access."
  default = [
    "stability.stable-image-core-v1:1",
    "stability.stable-image-ultra-v1:1",
    "stability.sd3-5-large-v1:0",
    "amazon.titan-image-generator-v2:0",
    "us.stability.stable-image-inpaint-v1:0",
    "us.stability.stable-outpaint-v1:0",
    "us.stability.stable-image-erase-object-v1:0",
    "us.stability.stable-image-search-replace-v1:0",
    "us.stability.stable-image-remove-background-v1:0",
  ]

  validation {
    condition     = length(var.allowed_models) > 0 && alltrue([for id in var.allowed_models : can(regex("^[a-z0-9-]+(\\.[a-z0-9-]+)+(:[a-z0-9]+)*$", id))])
    error_message = "allowed_models must hold at least one Bedrock model id such as stability.stable-image-core-v1:1 (no wildcards, no ARNs)."
  }

  # Geographic inference profiles only run from regions of their geography.
  validation {
    # Unless shared/models/model-regions.json lists Regions for the profile's geography (the functions
    # then call it from one of those, wherever the stack is).
    condition = alltrue([
      for id in var.allowed_models : contains(
        keys(try(jsondecode(file("${path.module}/../shared/models/model-regions.json")).models[join(".", slice(split(".", id), 1, length(split(".", id))))].profiles, {})),
        split(".", id)[0],
        ) || startswith(
        coalesce(var.bedrock_region, var.region),
        lookup({ us = "us-", "us-gov" = "us-gov-", eu = "eu-", apac = "ap-", jp = "ap-northeast-", au = "ap-southeast-", ca = "ca-" }, split(".", id)[0], ""),
      )
    ])
    error_message = "An inference profile in allowed_models does not fit the Bedrock region, and shared/models/model-regions.json lists no Regions for its geography: us. profiles need a us-* region, eu. an eu-* region, apac. an ap-* region."
  }
}

variable "edit_models" {
  type        = map(string)
  description = "Model or inference-profile id per edit operation (EDIT_MODELS, sent as JSON); the functions' IAM policy allows these. Operations: inpaint, outpaint, erase, remove-background, search-replace, search-recolor, control-sketch, control-structure, style-guide, style-transfer, creative-upscale, conservative-upscale, fast-upscale, image-to-image, image-variation, color-guided (shared/models/catalog.ts DEFAULT_EDIT_MODELS)."
  default = {
    inpaint                = "us.stability.stable-image-inpaint-v1:0"
    outpaint               = "us.stability.stable-outpaint-v1:0"
    erase                  = "us.stability.stable-image-erase-object-v1:0"
    "search-replace"       = "us.stability.stable-image-search-replace-v1:0"
    "remove-background"    = "us.stability.stable-image-remove-background-v1:0"
    "search-recolor"       = "us.stability.stable-image-search-recolor-v1:0"
    "control-sketch"       = "us.stability.stable-image-control-sketch-v1:0"
    "control-structure"    = "us.stability.stable-image-control-structure-v1:0"
    "style-guide"          = "us.stability.stable-image-style-guide-v1:0"
    "style-transfer"       = "us.stability.stable-style-transfer-v1:0"
    "creative-upscale"     = "us.stability.stable-creative-upscale-v1:0"
    "conservative-upscale" = "us.stability.stable-conservative-upscale-v1:0"
    "fast-upscale"         = "us.stability.stable-fast-upscale-v1:0"
    "image-to-image"       = "stability.sd3-5-large-v1:0"
    "image-variation"      = "amazon.titan-image-generator-v2:0"
    "color-guided"         = "amazon.titan-image-generator-v2:0"
  }

  validation {
    condition = alltrue([for operation in keys(var.edit_models) : contains([
      "inpaint", "outpaint", "erase", "remove-background", "search-replace", "search-recolor",
      "control-sketch", "control-structure", "style-guide", "style-transfer", "creative-upscale",
      "conservative-upscale", "fast-upscale", "image-to-image", "image-variation", "color-guided",
    ], operation)])
    error_message = "edit_models keys must be edit operations: inpaint, outpaint, erase, remove-background, search-replace, search-recolor, control-sketch, control-structure, style-guide, style-transfer, creative-upscale, conservative-upscale, fast-upscale, image-to-image, image-variation, color-guided."
  }

  validation {
    condition     = alltrue([for id in values(var.edit_models) : can(regex("^[a-z0-9-]+(\\.[a-z0-9-]+)+(:[a-z0-9]+)*$", id))])
    error_message = "edit_models values must be Bedrock model or inference-profile ids (no wildcards, no ARNs)."
  }

  validation {
    # Unless shared/models/model-regions.json lists Regions for the profile's geography (the functions
    # then call it from one of those, wherever the stack is).
    condition = alltrue([
      for id in values(var.edit_models) : contains(
        keys(try(jsondecode(file("${path.module}/../shared/models/model-regions.json")).models[join(".", slice(split(".", id), 1, length(split(".", id))))].profiles, {})),
        split(".", id)[0],
        ) || startswith(
        coalesce(var.bedrock_region, var.region),
        lookup({ us = "us-", "us-gov" = "us-gov-", eu = "eu-", apac = "ap-", jp = "ap-northeast-", au = "ap-southeast-", ca = "ca-" }, split(".", id)[0], ""),
      )
    ])
    error_message = "An inference profile in edit_models does not fit the Bedrock region, and shared/models/model-regions.json lists no Regions for its geography: us. profiles need a us-* region, eu. an eu-* region, apac. an ap-* region."
  }
}

##################################################################
# Functions
##################################################################

variable "functions_dist_dir" {
  type        = string
  description = "Folder holding the deployment zips (<function>.zip) written by `npm run build`. null means dist/functions at the repository root."
  default     = null
}

variable "api_function_timeout_seconds" {
  type        = number
  description = "Timeout of the functions behind API Gateway, in seconds. At most 29: API Gateway gives up after 29 s anyway."
  default     = 28

  validation {
    condition     = var.api_function_timeout_seconds >= 5 && var.api_function_timeout_seconds <= 29
    error_message = "api_function_timeout_seconds must be between 5 and 29."
  }
}

variable "api_bedrock_timeout_ms" {
  type        = number
  description = "Bedrock request timeout of the API functions (BEDROCK_TIMEOUT_MS), in milliseconds. Must end before the function's own timeout."
  default     = 25000

  validation {
    condition     = var.api_bedrock_timeout_ms >= 1000 && var.api_bedrock_timeout_ms < var.api_function_timeout_seconds * 1000
    error_message = "api_bedrock_timeout_ms must be at least 1000 and below api_function_timeout_seconds * 1000."
  }
}

variable "job_worker_timeout_seconds" {
  type        = number
  description = "Timeout of the asynchronous job worker, in seconds (Lambda allows up to 900)."
  default     = 900

  validation {
    condition     = var.job_worker_timeout_seconds >= 30 && var.job_worker_timeout_seconds <= 900
    error_message = "job_worker_timeout_seconds must be between 30 and 900."
  }
}

variable "job_worker_bedrock_timeout_ms" {
  type        = number
  description = "Bedrock request timeout of the job worker (BEDROCK_TIMEOUT_MS), in milliseconds. Must end before the worker's own timeout."
  default     = 600000

  validation {
    condition     = var.job_worker_bedrock_timeout_ms >= 1000 && var.job_worker_bedrock_timeout_ms < var.job_worker_timeout_seconds * 1000
    error_message = "job_worker_bedrock_timeout_ms must be at least 1000 and below job_worker_timeout_seconds * 1000."
  }
}

variable "function_memory_mb" {
  type        = number
  description = "Memory of every function, in MB (128 to 10240). Image decoding and mask conversion need room; CPU grows with memory."
  default     = 1024

  validation {
    condition     = var.function_memory_mb >= 128 && var.function_memory_mb <= 10240
    error_message = "function_memory_mb must be between 128 and 10240."
  }
}

variable "function_reserved_concurrency" {
  type        = map(number)
  description = "Reserved concurrency per function (a hard cap on parallel runs, a cost guard), e.g. { generate = 5 }. Functions not listed stay unreserved, except job-worker (see job_worker_max_concurrency). Lambda keeps 100 executions unreserved per account and region, so new accounts (often 10 in total) cannot reserve any."
  default     = {}

  validation {
    condition     = alltrue([for key, value in var.function_reserved_concurrency : contains(["generate", "generate-query", "models", "uploads", "edits", "history", "jobs", "job-worker"], key) && value >= 0])
    error_message = "function_reserved_concurrency keys must be function names (generate, generate-query, models, uploads, edits, history, jobs, job-worker) and values 0 or more."
  }
}

variable "job_worker_max_concurrency" {
  type        = number
  description = "Reserved concurrency of the 900 s job worker, so long jobs cannot take all of the account's Lambda concurrency from the API. Applied only when the account allows it: its Lambda concurrency quota (lambda_concurrency_quota) must leave 100 unreserved after this stack's reservations. null never reserves; a job-worker entry in function_reserved_concurrency wins."
  default     = 2

  validation {
    condition     = var.job_worker_max_concurrency == null || try(var.job_worker_max_concurrency >= 1 && floor(var.job_worker_max_concurrency) == var.job_worker_max_concurrency, false)
    error_message = "job_worker_max_concurrency must be null or a whole number of at least 1."
  }
}

variable "lambda_concurrency_quota" {
  type        = number
  description = "The account's Lambda concurrent-executions quota in this region (aws lambda get-account-settings --query AccountLimit.ConcurrentExecutions). null (default) reads it from Service Quotas at plan time (quota L-B99A9384; needs servicequotas:GetServiceQuota). Decides whether job_worker_max_concurrency can be reserved."
  default     = null

  validation {
    condition     = var.lambda_concurrency_quota == null || try(var.lambda_concurrency_quota >= 0, false)
    error_message = "lambda_concurrency_quota must be null or a number of at least 0."
  }
}

variable "job_worker_retry_attempts" {
  type        = number
  description = "How often Lambda retries a failed asynchronous job-worker invocation (0 to 2). Each retry pays for the images again, so the default is 0."
  default     = 0

  validation {
    condition     = contains([0, 1, 2], var.job_worker_retry_attempts)
    error_message = "job_worker_retry_attempts must be 0, 1 or 2."
  }
}

variable "url_expiry_seconds" {
  type        = number
  description = "Lifetime of the pre-signed image URLs the API returns (URL_EXPIRY_SECONDS). Capped by the function role's session, about 12 hours at most; 1 hour is safe."
  default     = 3600

  validation {
    condition     = var.url_expiry_seconds >= 60 && var.url_expiry_seconds <= 43200
    error_message = "url_expiry_seconds must be between 60 and 43200."
  }
}

variable "max_upload_bytes" {
  type        = number
  description = "Largest image a user may upload through the pre-signed POST (MAX_UPLOAD_BYTES)."
  default     = 10485760

  validation {
    condition     = var.max_upload_bytes >= 1024 && var.max_upload_bytes <= 52428800
    error_message = "max_upload_bytes must be between 1024 and 52428800 (50 MiB)."
  }
}

variable "log_prompts" {
  type        = bool
  description = "Write users' prompts into the function logs (LOG_PROMPTS). Off by default: prompts can be personal."
  default     = false
}

variable "enable_xray" {
  type        = bool
  description = "Turn on AWS X-Ray tracing for the functions and the API stage."
  default     = false
}

variable "log_retention_days" {
  type        = number
  description = "Days to keep function and API logs in CloudWatch Logs."
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "metrics_namespace" {
  type        = string
  description = "CloudWatch namespace of the application's metrics (POWERTOOLS_METRICS_NAMESPACE) and of the Bedrock throttling metric."
  default     = "ImageGen"
}

##################################################################
# API
##################################################################

variable "openapi_template_path" {
  type        = string
  description = "Path of the OpenAPI template. null means shared/api/openapi.yaml at the repository root."
  default     = null
}

variable "stage_name" {
  type        = string
  description = "API Gateway stage name; the last segment of the invoke URL."
  default     = "dev"
}

variable "generate_auth" {
  type        = string
  description = "Protection of POST and GET /generate: none (public, the default), cognito (signed-in users only) or api_key (X-Api-Key header; creates a key and a usage plan)."
  default     = "none"

  validation {
    condition     = contains(["none", "cognito", "api_key"], var.generate_auth)
    error_message = "generate_auth must be \"none\", \"cognito\" or \"api_key\"."
  }
}

variable "api_throttling_rate_limit" {
  type        = number
  description = "Requests per second the API stage accepts across all routes."
  default     = 10
}

variable "api_throttling_burst_limit" {
  type        = number
  description = "Burst size of the API stage across all routes."
  default     = 20
}

variable "generate_throttling_rate_limit" {
  type        = number
  description = "Requests per second accepted on each generate route (each one is a paid Bedrock image)."
  default     = 2
}

variable "generate_throttling_burst_limit" {
  type        = number
  description = "Burst size on each generate route."
  default     = 5
}

variable "api_key_quota_per_day" {
  type        = number
  description = "Daily request quota of the API key's usage plan (generate_auth = api_key only)."
  default     = 500
}

variable "api_gateway_logging" {
  type        = string
  description = "Stage access and execution logs, which need a CloudWatch role in the region's account-wide API Gateway settings. off (default): no stage logs, so the first apply works in any account. existing-role: logs on, using the role already set (see: aws apigateway get-account --query cloudwatchRoleArn). create-role: this stack creates a role and sets it (aws_api_gateway_account), replacing any role set before; with AWS provider 6.x, terraform destroy then resets the setting for every REST API in the region."
  default     = "off"

  validation {
    condition     = contains(["off", "existing-role", "create-role"], var.api_gateway_logging)
    error_message = "api_gateway_logging must be \"off\", \"existing-role\" or \"create-role\"."
  }
}

variable "waf_rate_limit_per_5_minutes" {
  type        = number
  description = "Optional per-IP rate limit: an AWS WAF web ACL on the stage blocks an IP that sends more than this many requests in 5 minutes (at least 10). WAF bills about $5 per month per web ACL, $1 per rule and $0.60 per million requests. null (default) creates no WAF."
  default     = null
}

##################################################################
# Storage, users, web, alarms
##################################################################

variable "generated_image_expiration_days" {
  type        = number
  description = "Days after which images of the public generate routes (generated/ prefix) are deleted. null keeps them."
  default     = 30
}

variable "user_image_expiration_days" {
  type        = number
  description = "Days after which users' uploads, edits and generations (users/ prefix) are deleted. null keeps them until the user deletes them."
  default     = null
}

variable "force_destroy_bucket" {
  type        = bool
  description = "Let terraform destroy delete the images bucket with its contents."
  default     = true
}

variable "enable_deletion_protection" {
  type        = bool
  description = "Protect the DynamoDB table and the Cognito user pool from deletion (then terraform destroy fails until turned off)."
  default     = false
}

variable "extra_cors_origins" {
  type        = list(string)
  description = "Origins besides the Amplify site allowed to upload to and read from the bucket, e.g. http://localhost:5173 for a local SPA against this stack."
  default     = []
}

variable "initial_user_email" {
  type        = string
  description = "E-mail of a first user; Cognito mails them a temporary password. null creates none."
  default     = null
}

variable "cognito_mfa" {
  type        = string
  description = "TOTP multi-factor sign-in for the web app's users: OFF (default), OPTIONAL or ON (every user sets up an authenticator app at first sign-in)."
  default     = "OFF"
}

variable "cognito_threat_protection" {
  type        = string
  description = "Cognito threat protection: OFF (default), AUDIT or ENFORCED. AUDIT and ENFORCED put the user pool on the Plus feature plan, billed per monthly active user."
  default     = "OFF"
}

variable "refresh_token_validity_days" {
  type        = number
  description = "Days a refresh token keeps a user signed in (1 to 3650). ID and access tokens last 60 minutes."
  default     = 30
}

variable "alarm_email" {
  type        = string
  description = "E-mail address for alarm notifications (creates an SNS topic and subscription). null creates none."
  default     = null
}

variable "monthly_budget_usd" {
  type        = number
  description = "Optional AWS Budgets alarm: a monthly cost budget in US dollars for the whole account that e-mails alarm_email at 80 % of actual and 100 % of forecast spend. Needs alarm_email. null (default) creates none."
  default     = null
}

variable "api_latency_alarm_threshold_ms" {
  type        = number
  description = "p90 API latency in milliseconds above which the latency alarm fires."
  default     = 20000
}
