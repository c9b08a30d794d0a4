# Traffic Mirroring for dbwire: one target (the sensor's ENI, or a Network Load Balancer in front of several
# sensors), one filter passing PostgreSQL and MySQL in both directions, one session per source ENI, and the
# security group rule that lets the mirrored VXLAN (UDP 4789) reach the sensor. See docs/aws.md.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "sensor_eni_id" {
  description = "ENI of the dbwire sensor instance (the mirror target). Leave null when nlb_arn is set."
  type        = string
  default     = null
}

variable "nlb_arn" {
  description = "ARN of a Network Load Balancer with a UDP 4789 listener in front of the sensors, or null."
  type        = string
  default     = null
}

variable "sensor_security_group_id" {
  description = "Security group of the sensor instance(s): gets an inbound rule for UDP 4789."
  type        = string
}

variable "mirror_source_cidrs" {
  description = "Where mirrored packets come from: the CIDR blocks of the source ENIs' subnets (or the VPC CIDR)."
  type        = list(string)
}

variable "source_eni_ids" {
  description = "ENIs to mirror: the database's ENIs or its clients' ENIs. At most 3 sessions per source ENI (AWS)."
  type        = list(string)
}

variable "database_ports" {
  description = "Server ports to mirror, both directions."
  type        = list(number)
  default     = [5432, 3306]
}

variable "vni" {
  description = "VXLAN network identifier put on every mirrored packet; dbwire reports it as `vni`."
  type        = number
  default     = 4242
}

variable "session_number" {
  description = "Priority of these sessions on each source ENI (1 = evaluated first)."
  type        = number
  default     = 1
}

resource "aws_ec2_traffic_mirror_target" "dbwire" {
  description               = "dbwire sensor"
  network_interface_id      = var.nlb_arn == null ? var.sensor_eni_id : null
  network_load_balancer_arn = var.nlb_arn
}

resource "aws_ec2_traffic_mirror_filter" "dbwire" {
  description = "dbwire: PostgreSQL and MySQL both directions"
}

locals {
  # Ingress to the mirrored ENI carries the server port as destination (requests to a database ENI, responses to
  # a client ENI); egress carries it as source, or as destination for a client ENI's requests. Two rules per
  # port and direction cover databases and clients alike. AWS allows 10 rules per filter: 2 ports x 4 = 8.
  rules = flatten([
    for i, port in var.database_ports : [
      { key = "in-dst-${port}", direction = "ingress", number = 100 + i * 10, dst = port, src = null },
      { key = "in-src-${port}", direction = "ingress", number = 101 + i * 10, dst = null, src = port },
      { key = "out-dst-${port}", direction = "egress", number = 100 + i * 10, dst = port, src = null },
      { key = "out-src-${port}", direction = "egress", number = 101 + i * 10, dst = null, src = port },
    ]
  ])
}

resource "aws_ec2_traffic_mirror_filter_rule" "db" {
  for_each                 = { for r in local.rules : r.key => r }
  traffic_mirror_filter_id = aws_ec2_traffic_mirror_filter.dbwire.id
  description              = "dbwire ${each.key}"
  traffic_direction        = each.value.direction
  rule_number              = each.value.number
  rule_action              = "accept"
  protocol                 = 6
  source_cidr_block        = "0.0.0.0/0"
  destination_cidr_block   = "0.0.0.0/0"

  dynamic "destination_port_range" {
    for_each = each.value.dst == null ? [] : [each.value.dst]
    content {
      from_port = destination_port_range.value
      to_port   = destination_port_range.value
    }
  }

  dynamic "source_port_range" {
    for_each = each.value.src == null ? [] : [each.value.src]
    content {
      from_port = source_port_range.value
      to_port   = source_port_range.value
    }
  }
}

resource "aws_ec2_traffic_mirror_session" "source" {
  for_each                 = toset(var.source_eni_ids)
  description              = "dbwire mirror of ${each.value}"
  network_interface_id     = each.value
  session_number           = var.session_number
  traffic_mirror_filter_id = aws_ec2_traffic_mirror_filter.dbwire.id
  traffic_mirror_target_id = aws_ec2_traffic_mirror_target.dbwire.id
  virtual_network_id       = var.vni
}

resource "aws_security_group_rule" "vxlan_in" {
  description       = "mirrored traffic (VXLAN) to dbwire"
  type              = "ingress"
  security_group_id = var.sensor_security_group_id
  protocol          = "udp"
  from_port         = 4789
  to_port           = 4789
  cidr_blocks       = var.mirror_source_cidrs
}

output "traffic_mirror_target_id" {
  value = aws_ec2_traffic_mirror_target.dbwire.id
}

output "traffic_mirror_filter_id" {
  value = aws_ec2_traffic_mirror_filter.dbwire.id
}

output "session_ids" {
  value = { for eni, s in aws_ec2_traffic_mirror_session.source : eni => s.id }
}
