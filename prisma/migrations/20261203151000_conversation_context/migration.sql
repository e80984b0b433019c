-- Comparisons inside conversations (#17): the turn an in-context set continues, the model that
-- wrote an imported message, a dialogue's stored main branch and when its turns were picked.
ALTER TABLE "Conversation" ADD COLUMN "leafMessageId" TEXT;
ALTER TABLE "Conversation" ADD COLUMN "contextSampledAt" TIMESTAMP(3);
ALTER TABLE "Message" ADD COLUMN "authorModel" TEXT;
ALTER TABLE "CompletionSet" ADD COLUMN "continuesMessageId" TEXT;

ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_leafMessageId_fkey" FOREIGN KEY ("leafMessageId") REFERENCES "Message"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "CompletionSet" ADD CONSTRAINT "CompletionSet_continuesMessageId_fkey" FOREIGN KEY ("continuesMessageId") REFERENCES "Message"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "CompletionSet_continuesMessageId_idx" ON "CompletionSet"("continuesMessageId");
