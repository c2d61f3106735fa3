locals {
  alarm_actions     = aws_sns_topic.alarms[*].arn
  bedrock_functions = { for key, fn in var.functions : key => fn if fn.calls_bedrock }
  throttle_metric   = "BedrockThrottles"
  period_seconds    = 300
}

##################################################################
# Notification topic (only with an e-mail address)
##################################################################

resource "aws_sns_topic" "alarms" {
  count = var.alarm_email == null ? 0 : 1

  name = "${var.name_prefix}-alarms"
}

resource "aws_sns_topic_subscription" "email" {
  count = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

##################################################################
# Lambda alarms
##################################################################

resource "aws_cloudwatch_metric_alarm" "function_errors" {
  for_each = var.functions

  alarm_name          = "${each.value.function_name}-errors"
  alarm_description   = "The ${each.key} function failed (unhandled error or timeout); see log group ${each.value.log_group_name}."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = each.value.function_name }
  statistic           = "Sum"
  period              = local.period_seconds
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "function_throttles" {
  for_each = var.functions

  alarm_name          = "${each.value.function_name}-throttles"
  alarm_description   = "Lambda refused to run the ${each.key} function (concurrency limit reached)."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = each.value.function_name }
  statistic           = "Sum"
  period              = local.period_seconds
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

##################################################################
# API Gateway alarms
##################################################################

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  alarm_name          = "${var.name_prefix}-api-5xx"
  alarm_description   = "The API answered ${var.api_5xx_threshold} or more 5XX responses in 5 minutes."
  namespace           = "AWS/ApiGateway"
  metric_name         = "5XXError"
  dimensions          = { ApiName = var.api_name, Stage = var.stage_name }
  statistic           = "Sum"
  period              = local.period_seconds
  evaluation_periods  = 1
  threshold           = var.api_5xx_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "api_latency" {
  alarm_name          = "${var.name_prefix}-api-latency-p90"
  alarm_description   = "p90 API latency stayed above ${var.api_latency_threshold_ms} ms for 15 minutes; requests are close to the 29 s gateway timeout."
  namespace           = "AWS/ApiGateway"
  metric_name         = "Latency"
  dimensions          = { ApiName = var.api_name, Stage = var.stage_name }
  extended_statistic  = "p90"
  period              = local.period_seconds
  evaluation_periods  = 3
  threshold           = var.api_latency_threshold_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

##################################################################
# Bedrock throttling, counted from the functions' logs
##################################################################

# The functions emit this metric themselves (EMF, dimension `service` = function name, see
# shared/log.ts), once per request that Bedrock throttled; the alarm adds them up.
resource "aws_cloudwatch_metric_alarm" "bedrock_throttles" {
  alarm_name          = "${var.name_prefix}-bedrock-throttles"
  alarm_description   = "Bedrock throttled image requests; check the model's quotas (aws service-quotas list-service-quotas --service-code bedrock)."
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "throttles"
    expression  = "SUM([${join(", ", [for index, _ in keys(local.bedrock_functions) : "m${index}"])}])"
    label       = "Bedrock-throttled requests"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = keys(local.bedrock_functions)
    content {
      id = "m${metric_query.key}"
      metric {
        namespace   = var.metrics_namespace
        metric_name = local.throttle_metric
        dimensions  = { service = metric_query.value }
        stat        = "Sum"
        period      = local.period_seconds
      }
    }
  }
}

##################################################################
# Dashboard
##################################################################

# The widgets in reading order, two to a row; each is a timeSeries of this Region over the alarm
# period unless it says otherwise.
locals {
  dashboard_widgets = [
    {
      title   = "API requests and errors"
      stat    = "Sum"
      metrics = [for metric in ["Count", "4XXError", "5XXError"] : ["AWS/ApiGateway", metric, "ApiName", var.api_name, "Stage", var.stage_name]]
    },
    {
      title = "API latency (ms)"
      metrics = [
        ["AWS/ApiGateway", "Latency", "ApiName", var.api_name, "Stage", var.stage_name, { stat = "p50" }],
        ["AWS/ApiGateway", "Latency", "ApiName", var.api_name, "Stage", var.stage_name, { stat = "p90" }],
        ["AWS/ApiGateway", "IntegrationLatency", "ApiName", var.api_name, "Stage", var.stage_name, { stat = "p90" }],
      ]
      annotations = { horizontal = [{ label = "alarm", value = var.api_latency_threshold_ms }] }
    },
    {
      title   = "Function invocations"
      stat    = "Sum"
      metrics = [for fn in values(var.functions) : ["AWS/Lambda", "Invocations", "FunctionName", fn.function_name]]
    },
    {
      title = "Function errors and throttles"
      stat  = "Sum"
      metrics = concat(
        [for fn in values(var.functions) : ["AWS/Lambda", "Errors", "FunctionName", fn.function_name]],
        [for fn in values(var.functions) : ["AWS/Lambda", "Throttles", "FunctionName", fn.function_name]],
      )
    },
    {
      title   = "Function duration p90 (ms)"
      stat    = "p90"
      metrics = [for fn in values(var.functions) : ["AWS/Lambda", "Duration", "FunctionName", fn.function_name]]
    },
    {
      title = "Bedrock"
      stat  = "Sum"
      metrics = concat(
        [for key in keys(local.bedrock_functions) : [var.metrics_namespace, local.throttle_metric, "service", key, { label = "${key}: throttled requests" }]],
        [for model_id in var.model_ids : ["AWS/Bedrock", "Invocations", "ModelId", model_id]],
        [for model_id in var.model_ids : ["AWS/Bedrock", "InvocationThrottles", "ModelId", model_id]],
      )
    },
  ]
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = "${var.name_prefix}-overview"
  dashboard_body = jsonencode({
    widgets = [
      for index, widget in local.dashboard_widgets : {
        type       = "metric"
        x          = (index % 2) * 12
        y          = floor(index / 2) * 6
        width      = 12
        height     = 6
        properties = merge({ region = var.region, view = "timeSeries", period = local.period_seconds }, widget)
      }
    ]
  })
}

##################################################################
# Optional cost budget (monthly_budget_usd)
##################################################################

# The throttles bound the spend rate, not the total: a budget alert is the backstop for a public
# generate route found by someone who keeps it busy all month.
resource "aws_budgets_budget" "monthly" {
  count = var.monthly_budget_usd == null ? 0 : 1

  name         = "${var.name_prefix}-monthly-cost"
  budget_type  = "COST"
  limit_amount = format("%.2f", var.monthly_budget_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 80
    threshold_type             = "PERCENTAGE"
    notification_type          = "ACTUAL"
    subscriber_email_addresses = [var.alarm_email]
  }

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 100
    threshold_type             = "PERCENTAGE"
    notification_type          = "FORECASTED"
    subscriber_email_addresses = [var.alarm_email]
  }
}
