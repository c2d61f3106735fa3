variable "name" {
  type        = string
  description = "Name of the REST API; also starts the names of its log groups, IAM role and usage plan."
}

variable "openapi_template_path" {
  type        = string
  description = "Path of the OpenAPI document (shared/api/openapi.yaml), a templatefile() template whose placeholders this module fills."
}

variable "region" {
  type        = string
  description = "AWS region of the API and the Lambda functions (fills the template's region placeholder)."
}

variable "partition" {
  type        = string
  description = "AWS partition of the account (aws, aws-cn, aws-us-gov): fills the template's partition placeholder (integration URIs) and the managed-policy ARN."
  default     = "aws"
}

variable "functions" {
  type = map(object({
    arn           = string
    function_name = string
  }))
  description = "Lambda functions behind the API, keyed by function folder name (generate, generate-query, ...). The template's invoke_arn_<key> placeholders (dashes become underscores) receive arn; one aws_lambda_permission per route uses function_name."
}

variable "user_pool_arn" {
  type        = string
  description = "ARN of the Cognito user pool behind the API's cognito authorizer."
}

variable "cors_origin" {
  type        = string
  description = "Value of Access-Control-Allow-Origin on preflights, gateway errors and non-proxy responses: the SPA origin."

  validation {
    condition     = var.cors_origin == "*" || can(regex("^https?://[^/*]+$", var.cors_origin))
    error_message = "cors_origin must be an origin like https://main.d123.amplifyapp.com (no path, no trailing slash) or \"*\"."
  }
}

variable "generate_auth" {
  type        = string
  description = "Protection of the generate routes (POST and GET /generate): none (public), cognito (signed-in users) or api_key (X-Api-Key header, with a usage plan)."
  default     = "none"

  validation {
    condition     = contains(["none", "cognito", "api_key"], var.generate_auth)
    error_message = "generate_auth must be \"none\", \"cognito\" or \"api_key\"."
  }
}

variable "stage_name" {
  type        = string
  description = "Name of the deployment stage; the last segment of the invoke URL."
  default     = "dev"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,128}$", var.stage_name))
    error_message = "stage_name must be letters, digits or underscores."
  }
}

variable "throttling_rate_limit" {
  type        = number
  description = "Steady-state requests per second allowed across all routes of the stage (requests beyond it get 429)."
  default     = 10

  validation {
    condition     = var.throttling_rate_limit > 0
    error_message = "throttling_rate_limit must be greater than 0."
  }
}

variable "throttling_burst_limit" {
  type        = number
  description = "Requests the stage accepts at once above the steady rate (token-bucket size)."
  default     = 20

  validation {
    condition     = var.throttling_burst_limit >= 1 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "throttling_burst_limit must be a whole number of at least 1."
  }
}

variable "generate_throttling_rate_limit" {
  type        = number
  description = "Requests per second allowed on each generate route (POST and GET /generate); each call is a paid Bedrock image."
  default     = 2

  validation {
    condition     = var.generate_throttling_rate_limit > 0
    error_message = "generate_throttling_rate_limit must be greater than 0."
  }
}

variable "generate_throttling_burst_limit" {
  type        = number
  description = "Burst size on each generate route."
  default     = 5

  validation {
    condition     = var.generate_throttling_burst_limit >= 1 && floor(var.generate_throttling_burst_limit) == var.generate_throttling_burst_limit
    error_message = "generate_throttling_burst_limit must be a whole number of at least 1."
  }
}

variable "api_key_quota_per_day" {
  type        = number
  description = "Requests per day the API key's usage plan allows (only when generate_auth = api_key). Quotas are best effort, not a billing guarantee."
  default     = 500

  validation {
    condition     = var.api_key_quota_per_day >= 1 && floor(var.api_key_quota_per_day) == var.api_key_quota_per_day
    error_message = "api_key_quota_per_day must be a whole number of at least 1."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Days to keep the stage's access and execution logs."
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "enable_xray" {
  type        = bool
  description = "Turn on AWS X-Ray tracing for the stage."
  default     = false
}

variable "logging" {
  type        = string
  description = <<-EOT
    Stage logging (JSON access logs and ERROR execution logs). Both need a CloudWatch role in the
    region's account-wide API Gateway settings, or creating the stage fails ("CloudWatch Logs role ARN
    must be set in account settings to enable logging").
    off: no stage logs (metrics stay on); the first apply works in any account.
    existing-role: logs on, using the role already set (aws apigateway get-account --query cloudwatchRoleArn).
    create-role: this module creates a role and sets it (aws_api_gateway_account). Account-wide: it replaces
    any role set before, and with AWS provider 6.x terraform destroy resets the setting, which turns off
    logging for every other REST API in the region.
  EOT
  default     = "off"

  validation {
    condition     = contains(["off", "existing-role", "create-role"], var.logging)
    error_message = "logging must be \"off\", \"existing-role\" or \"create-role\"."
  }
}

variable "waf_rate_limit_per_5_minutes" {
  type        = number
  description = "When set, an AWS WAF web ACL on the stage blocks any IP that sends more than this many requests in 5 minutes (per-IP rate-based rule; WAF bills about $5/month per web ACL plus $1 per rule and $0.60 per million requests). null creates no WAF."
  default     = null

  validation {
    condition     = var.waf_rate_limit_per_5_minutes == null || try(var.waf_rate_limit_per_5_minutes >= 10 && floor(var.waf_rate_limit_per_5_minutes) == var.waf_rate_limit_per_5_minutes, false)
    error_message = "waf_rate_limit_per_5_minutes must be null or a whole number of at least 10 (the lowest limit AWS WAF accepts)."
  }
}
