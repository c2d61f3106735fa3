variable "name_prefix" {
  type        = string
  description = "Start of alarm, topic, metric filter and dashboard names."
}

variable "region" {
  type        = string
  description = "Region of the stack, where the dashboard's metrics live."
}

variable "functions" {
  type = map(object({
    function_name  = string
    log_group_name = string
    calls_bedrock  = bool
  }))
  description = "Lambda functions to watch, keyed by function folder name. Functions with calls_bedrock = true get a metric filter that counts Bedrock throttling in their logs."
}

variable "api_name" {
  type        = string
  description = "Name of the REST API (the ApiName dimension of AWS/ApiGateway metrics)."
}

variable "stage_name" {
  type        = string
  description = "Stage of the REST API to watch."
}

variable "metrics_namespace" {
  type        = string
  description = "CloudWatch namespace of the application's own metrics (the functions' POWERTOOLS_METRICS_NAMESPACE); the Bedrock throttling metric is published there too."

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be 1-255 letters, digits or . _ / # : - and must not start with \"AWS/\"."
  }
}

variable "model_ids" {
  type        = list(string)
  description = "Bedrock model or inference-profile ids shown on the dashboard (AWS/Bedrock metrics by ModelId)."
  default     = []
}

variable "alarm_email" {
  type        = string
  description = "E-mail address that receives alarm notifications through an SNS topic (the address must confirm the subscription). null creates no topic; alarms then only show in the console."
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be null or an e-mail address."
  }
}

variable "api_latency_threshold_ms" {
  type        = number
  description = "p90 latency of the API, in milliseconds, above which the latency alarm fires (after three 5-minute periods). API Gateway cuts requests at 29000."
  default     = 20000

  validation {
    condition     = var.api_latency_threshold_ms > 0 && var.api_latency_threshold_ms <= 29000
    error_message = "api_latency_threshold_ms must be between 1 and 29000."
  }
}

variable "api_5xx_threshold" {
  type        = number
  description = "Number of 5XX responses in 5 minutes at which the API error alarm fires."
  default     = 5

  validation {
    condition     = var.api_5xx_threshold >= 1
    error_message = "api_5xx_threshold must be at least 1."
  }
}

variable "monthly_budget_usd" {
  type        = number
  description = "When set, an AWS Budgets cost budget of this many US dollars per month e-mails alarm_email at 80 % of actual spend and at 100 % of forecast spend. It watches the whole account's cost (a tag filter would see nothing until the Project cost allocation tag is activated). null creates none."
  default     = null

  validation {
    condition     = var.monthly_budget_usd == null || try(var.monthly_budget_usd > 0, false)
    error_message = "monthly_budget_usd must be null or greater than 0."
  }

  validation {
    condition     = var.monthly_budget_usd == null || var.alarm_email != null
    error_message = "monthly_budget_usd needs alarm_email: the budget e-mails its alerts there."
  }
}
