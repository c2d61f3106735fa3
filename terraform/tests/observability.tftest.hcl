# The observability module with a mocked AWS provider. Run from terraform/: terraform test

mock_provider "aws" {
  override_during = plan

  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:us-west-2:123456789012:imagegen-dev-alarms"
    }
  }
}

variables {
  name_prefix       = "imagegen-dev"
  region            = "us-west-2"
  api_name          = "imagegen-dev-api"
  stage_name        = "dev"
  metrics_namespace = "ImageGen"
  model_ids         = ["stability.stable-image-core-v1:1"]
  functions = {
    generate = { function_name = "imagegen-dev-generate", log_group_name = "/aws/lambda/imagegen-dev-generate", calls_bedrock = true }
    history  = { function_name = "imagegen-dev-history", log_group_name = "/aws/lambda/imagegen-dev-history", calls_bedrock = false }
  }
}

run "alarms_without_email" {
  command = plan

  module {
    source = "./modules/observability"
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.function_errors) == 2 && length(aws_cloudwatch_metric_alarm.function_throttles) == 2
    error_message = "Every function gets an errors alarm and a throttles alarm."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.api_5xx.metric_name == "5XXError"
      && aws_cloudwatch_metric_alarm.api_5xx.dimensions["ApiName"] == "imagegen-dev-api"
      && aws_cloudwatch_metric_alarm.api_5xx.dimensions["Stage"] == "dev"
      && aws_cloudwatch_metric_alarm.api_latency.extended_statistic == "p90"
    )
    error_message = "The API alarms watch 5XX errors and p90 latency of the stage."
  }

  assert {
    condition = (
      length(aws_cloudwatch_metric_alarm.bedrock_throttles.metric_query) == 2
      && one([for q in aws_cloudwatch_metric_alarm.bedrock_throttles.metric_query : q.expression if q.return_data == true]) == "SUM([m0])"
      && one([for q in aws_cloudwatch_metric_alarm.bedrock_throttles.metric_query : one(q.metric).dimensions["service"] if length(q.metric) > 0]) == "generate"
      && one([for q in aws_cloudwatch_metric_alarm.bedrock_throttles.metric_query : one(q.metric).namespace if length(q.metric) > 0]) == "ImageGen"
      && one([for q in aws_cloudwatch_metric_alarm.bedrock_throttles.metric_query : one(q.metric).metric_name if length(q.metric) > 0]) == "BedrockThrottles"
    )
    error_message = "Bedrock throttling is the BedrockThrottles metric the Bedrock-calling functions emit, summed, in the app namespace."
  }

  assert {
    condition     = length(aws_sns_topic.alarms) == 0 && length(aws_cloudwatch_metric_alarm.api_5xx.alarm_actions) == 0
    error_message = "Without alarm_email there is no topic and no alarm action."
  }

  assert {
    condition     = length(jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets) == 6
    error_message = "The dashboard has its six widgets."
  }
}

run "alarms_with_email" {
  command = plan

  module {
    source = "./modules/observability"
  }

  variables {
    alarm_email = "ops@example.com"
  }

  assert {
    condition = (
      aws_sns_topic_subscription.email[0].endpoint == "ops@example.com"
      && aws_cloudwatch_metric_alarm.function_errors["generate"].alarm_actions == toset(["arn:aws:sns:us-west-2:123456789012:imagegen-dev-alarms"])
    )
    error_message = "alarm_email must subscribe the address and wire the topic into the alarms."
  }
}

run "no_budget_by_default" {
  command = plan

  module {
    source = "./modules/observability"
  }

  assert {
    condition     = length(aws_budgets_budget.monthly) == 0 && output.budget_name == null
    error_message = "No AWS Budgets budget unless monthly_budget_usd is set."
  }
}

run "monthly_budget" {
  command = plan

  module {
    source = "./modules/observability"
  }

  variables {
    alarm_email        = "ops@example.com"
    monthly_budget_usd = 50
  }

  assert {
    condition = (
      aws_budgets_budget.monthly[0].budget_type == "COST"
      && aws_budgets_budget.monthly[0].time_unit == "MONTHLY"
      && aws_budgets_budget.monthly[0].limit_amount == "50.00"
      && aws_budgets_budget.monthly[0].limit_unit == "USD"
      && length(aws_budgets_budget.monthly[0].notification) == 2
      && alltrue([for notification in aws_budgets_budget.monthly[0].notification : notification.subscriber_email_addresses == toset(["ops@example.com"])])
      && anytrue([for notification in aws_budgets_budget.monthly[0].notification : notification.notification_type == "ACTUAL" && notification.threshold == 80])
    )
    error_message = "monthly_budget_usd must create a monthly cost budget that e-mails alarm_email at 80 % actual and 100 % forecast."
  }
}

run "budget_needs_an_email" {
  command = plan

  module {
    source = "./modules/observability"
  }

  variables {
    monthly_budget_usd = 50
  }

  expect_failures = [var.monthly_budget_usd]
}
