output "alarm_topic_arn" {
  description = "ARN of the SNS topic that receives alarms, or null when no alarm_email was given."
  value       = try(aws_sns_topic.alarms[0].arn, null)
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "alarm_names" {
  description = "Names of all alarms this module created."
  value = concat(
    [for alarm in aws_cloudwatch_metric_alarm.function_errors : alarm.alarm_name],
    [for alarm in aws_cloudwatch_metric_alarm.function_throttles : alarm.alarm_name],
    [
      aws_cloudwatch_metric_alarm.api_5xx.alarm_name,
      aws_cloudwatch_metric_alarm.api_latency.alarm_name,
      aws_cloudwatch_metric_alarm.bedrock_throttles.alarm_name,
    ],
  )
}

output "budget_name" {
  description = "Name of the monthly AWS Budgets cost budget, or null without monthly_budget_usd."
  value       = try(aws_budgets_budget.monthly[0].name, null)
}
