"""``sangathan campaigns list``, ``sangathan campaigns verify --campaign ID --sample N --seed S`` and
``sangathan campaigns tally-rebuild [--campaign ID]`` (recount the per-period tally by mandal)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.encoding import force_str

from sangathan.access.scope import Scope
from sangathan.campaigns.models import Campaign
from sangathan.campaigns.services import verification_sample
from sangathan.campaigns.tally import tally_rebuild
from sangathan.core.errors import DomainError


class Command(BaseCommand):
    help = "Campaigns: list them, or draw a verification sample of reports and create the verification calls."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser("list", help="Campaigns with their id, code, dates and status.")
        rebuild = commands.add_parser("tally-rebuild", help="Recount the reported figures per period and mandal "
                                      "(the roll-ups' tally) from the reports.")
        rebuild.add_argument("--campaign", default=None, help="Campaign id or code (default: every campaign).")
        verify = commands.add_parser("verify", help="Sample reports (weighted toward outliers) for verification calls.")
        verify.add_argument("--campaign", required=True, help="Campaign id or code.")
        verify.add_argument("--sample", type=int, required=True, help="How many reports to draw (1-1000).")
        verify.add_argument("--seed", type=int, required=True, help="The same seed draws the same reports.")
        verify.add_argument("--since", type=date.fromisoformat, default=None,
                            help="Only periods starting on or after this date (YYYY-MM-DD; default 4 weeks back).")

    def handle(self, *args, action, **options):
        if action == "list":
            for campaign in Campaign.objects.select_related("unit").order_by("id"):
                self.stdout.write(f"{campaign.pk}\t{campaign.code}\t{campaign.name_hi}\t{campaign.unit.code}\t"
                                  f"{campaign.start_date}..{campaign.end_date}\t{campaign.status}")
            return
        key = options["campaign"]
        if action == "tally-rebuild" and key is None:
            self.stdout.write(f"{tally_rebuild():,} tally rows written for every campaign.")
            return
        campaign = (Campaign.objects.filter(pk=int(key)).first() if key.isdigit() else None) \
            or Campaign.objects.filter(code=key).first()
        if campaign is None:
            raise CommandError(f"No campaign {key!r}.")
        if action == "tally-rebuild":
            self.stdout.write(f"{tally_rebuild(campaign.pk):,} tally rows written for {campaign.code}.")
            return
        try:
            drawn = verification_sample(scope=Scope.system(channel="cli"), campaign=campaign, n=options["sample"], seed=options["seed"],
                                        since=options["since"])
        except DomainError as error:
            raise CommandError(force_str(error.message)) from None
        for verification in drawn:
            caller = verification.caller.name if verification.caller else "-"
            target = verification.target.name if verification.target else "-"
            self.stdout.write(f"report {verification.report_id}\t{verification.report.unit.code}\t"
                              f"{verification.report.period_start}\tweight {verification.weight:g}\t"
                              f"{','.join(verification.signals) or '-'}\t{verification.status}\t{caller} → {target}")
        self.stdout.write(f"{len(drawn)} reports sampled for verification in {campaign.code}.")
